import pytest

from krisenwissen.accounts.models import Role
from tests import factories as f


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def redaktion_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user


@pytest.fixture
def member_b(city_b, network):
    """A contributor in the partner city B (network of A and B)."""
    return f.MembershipFactory(municipality=city_b, role=Role.MITWIRKENDE, user__username="mitwirkende-b").user


@pytest.fixture
def ingested(django_capture_on_commit_callbacks, city_a):
    """Upload a text document into city A and run the extraction and indexing (on commit)."""
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.documents.ingest_actions import do_upload_document

    def run(text: str, *, visibility="netzwerk", title="Protokoll", municipality=None):
        with django_capture_on_commit_callbacks(execute=True):
            result = do_upload_document(municipality=municipality or city_a, data=text.encode(), filename="protokoll.txt",
                                        title=title, visibility=visibility, acting_user=SYSTEM)
        result.document.refresh_from_db()
        return result.document

    return run
