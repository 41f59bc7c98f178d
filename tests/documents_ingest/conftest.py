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
def upload(django_capture_on_commit_callbacks):
    """Upload and run the extraction job (the immediate task backend runs it on commit)."""
    from krisenwissen.documents.ingest_actions import do_upload_document

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = do_upload_document(**kwargs)
        result.version.refresh_from_db()
        return result

    return run
