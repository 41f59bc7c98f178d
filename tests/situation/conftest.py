from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

COVID = SHARED_DATA / "covid"
FIVE = ["05913", "05111", "05113", "05513", "05315"]


def need(path: Path) -> Path:
    assert path.exists(), f"shared data missing: {path} (tests read ../shared/data in place)"
    return path


@pytest.fixture
def ref_imported(db):
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.situation.actions import do_import_file

    path = need(COVID / "districts" / "ref-de-districts.tsv")
    run = do_import_file(path.read_bytes(), filename=path.name, fmt="districts-ref", acting_user=SYSTEM)
    assert run.status == "ok", run.report
    return run


@pytest.fixture
def five_imported(ref_imported):
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.situation.actions import do_import_file

    runs = []
    for ags in FIVE:
        p = need(COVID / "districts" / f"de-district_timeseries-{ags}.tsv")
        runs.append(do_import_file(p.read_bytes(), filename=p.name, fmt="districts", acting_user=SYSTEM))
        d = need(COVID / "divi-districts" / f"{ags}.tsv")
        runs.append(do_import_file(d.read_bytes(), filename=d.name, fmt="divi-districts", acting_user=SYSTEM))
    assert all(r.status == "ok" for r in runs), [r.report for r in runs]
    return runs


@pytest.fixture
def platform_user(db):
    """A person in the group "Plattform-Daten" (keeps the shared district and state data)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from krisenwissen.situation.platform import PLATFORM_DATA_GROUP, install_platform_data_group
    from tests import factories as f

    install_platform_data_group(Group, Permission, ContentType)  # the test database may have been flushed
    user = f.UserFactory(username="datenpflege")
    user.groups.add(Group.objects.get(name=PLATFORM_DATA_GROUP))
    return user
