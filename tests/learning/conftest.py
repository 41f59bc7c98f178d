import pytest

from .. import dbsnapshot


@pytest.fixture(scope="session")
def demo_reindexed_snapshot(demo_snapshot, django_db_blocker):
    """The demo content after ``reindex_all()``, built once per session from ``demo_snapshot``."""
    from krisenwissen.search.indexing import reindex_all

    def build():
        demo_snapshot.restore()
        reindex_all()

    with django_db_blocker.unblock():
        snapshot = dbsnapshot.build(build)
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.drop()


@pytest.fixture
def demo_db(demo_reindexed_snapshot, db):
    """The full demo content (knowledge + learning) with a current search index.

    Written back from a snapshot inside the test's transaction (rolled back afterwards)
    instead of running ``load_demo`` and ``reindex_all`` for every test.
    """
    demo_reindexed_snapshot.restore()


@pytest.fixture
def users(demo_db):
    from krisenwissen.accounts.models import User

    return {u.username: u for u in User.objects.all()}
