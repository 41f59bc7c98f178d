"""Fixtures shared by the whole suite."""

from io import StringIO
from pathlib import Path

import pytest

from krisenwissen.accounts.models import Role

from . import dbsnapshot
from . import factories as f


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests without database first, then pytest-django's order (db, then transactional).

    pytest-django puts them last; some are long (subprocesses: ``krisenwissen migrate`` on a
    new database, ``check --deploy``), and at the end of a parallel run (pytest-xdist) one
    worker would run them alone. First, they overlap with the database tests of the other
    worker. The order among the database tests is unchanged.
    """
    def uses_db(item) -> bool:
        fixtures = set(getattr(item, "fixturenames", ()))
        return bool(item.get_closest_marker("django_db")) or bool(
            fixtures & {"db", "transactional_db", "live_server", "django_db_setup"}
        ) or hasattr(getattr(item, "cls", None), "databases")

    def group(item) -> int:
        if not uses_db(item):
            return 0
        fixtures = set(getattr(item, "fixturenames", ()))
        if not fixtures & {"live_server", "transactional_db"}:
            return 1
        # Live-server tests stay last (they flush the tables), the long ones first among them:
        # started late, one of them would run alone at the end of a parallel run.
        return 2 if Path(str(item.fspath)).name in LONG_BROWSER_MODULES else 3

    items.sort(key=group)  # stable: keeps the order within each group


# Browser test modules whose tests take 10-30 s each (docs/benchmarks.md, "Test suite time").
LONG_BROWSER_MODULES = {"test_page_walk.py", "test_workshops.py", "test_regulations.py", "test_learning.py"}


@pytest.fixture
def city_a(db):
    return f.MunicipalityFactory(name="Stadt A", ags="05913")


@pytest.fixture
def city_b(db):
    return f.MunicipalityFactory(name="Stadt B", ags="05111")


@pytest.fixture
def city_c(db):
    """A participating city outside the network of A and B."""
    return f.MunicipalityFactory(name="Stadt C", ags="09162")


@pytest.fixture
def network(city_a, city_b):
    return f.NetworkFactory(name="Partnerstädte", slug="partner", members=[city_a, city_b])


@pytest.fixture
def reader_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.LESER, user__username="leser-a").user


@pytest.fixture
def editor_b(city_b):
    return f.MembershipFactory(municipality=city_b, role=Role.REDAKTION, user__username="redaktion-b").user


@pytest.fixture
def contributor_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE, user__username="mitwirkende-a").user


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="admin", is_superuser=True, is_staff=True)


# The shared research data lies beside the repository (../shared/data); tests read it in place.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; fails with a clear message when it is not beside the clone."""
    assert SHARED_DATA.is_dir(), (
        f"Die gemeinsamen Daten fehlen: {SHARED_DATA} (erwartet als ../shared/data neben dem Repository)."
    )
    return SHARED_DATA


# --- the demo content, loaded once per session -------------------------------------------------


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo content exactly as ``krisenwissen load_demo`` writes it on an empty database.

    Built once per test session (per xdist worker) and kept as a snapshot (tests/dbsnapshot.py);
    the database itself is left as it was. Tests do not use this directly but a fixture that
    calls ``demo_snapshot.restore()`` after ``db`` or ``transactional_db`` (``demo_db`` in
    tests/learning, ``demo`` in tests/browser), so their changes are rolled back or flushed.
    Loading is committed, so the search index is filled as on a real server.
    """
    from django.core.management import call_command

    def load():
        call_command("load_demo", verbosity=0, stdout=StringIO())

    with django_db_blocker.unblock():
        snapshot = dbsnapshot.build(load)
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.drop()


@pytest.fixture
def demo_content(demo_snapshot, db):
    """The demo content in a ``db`` test: written back from the session's snapshot inside the
    test's transaction (rolled back afterwards) instead of running ``load_demo`` again."""
    demo_snapshot.restore()
