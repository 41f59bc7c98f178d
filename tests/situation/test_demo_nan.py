"""The demo Lagebild with the RKI workbook, and no NaN in stored values."""

import math
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from .conftest import COVID, need


def _non_finite() -> list:
    with connection.cursor() as c:
        c.execute("SELECT area_id, indicator_id, date, value FROM situation_observation")
        return [r for r in c.fetchall() if r[3] is None or (isinstance(r[3], float) and not math.isfinite(r[3]))]


def test_demo_imports_the_workbook_once_and_stores_no_nan(db, settings):
    from krisenwissen.situation import demo
    from krisenwissen.situation.models import Observation

    need(COVID / "rki" / demo.WORKBOOK)
    settings.KRISENWISSEN_DEMO_RKI_WORKBOOK = True
    t = time.perf_counter()
    counts = demo.load()
    first = time.perf_counter() - t
    assert Observation.objects.filter(indicator__key="inzidenz_7t_veroeffentlicht", area__ags="05113",
                                      date=date(2021, 4, 27)).exists()
    assert counts["observations"] > 300_000
    t = time.perf_counter()
    again = demo.load()
    second = time.perf_counter() - t
    print(f"demo load with workbook: first {first:.1f} s, again {second:.1f} s")
    assert again["observations"] == 0 and second < 5
    assert _non_finite() == []


def test_nan_and_infinity_are_never_stored(db, ref_imported):
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.situation import importers
    from krisenwissen.situation.actions import do_record_observation
    from krisenwissen.situation.models import Area, ImportRun, Indicator, Observation
    from krisenwissen.situation.parsing import Parsed

    parsed = Parsed("generic", rows=[("05113", "faelle_neu", "2021-04-01", float("nan")),
                                     ("05113", "faelle_neu", "2021-04-02", float("inf")),
                                     ("05113", "faelle_neu", "2021-04-03", 7)])
    run = ImportRun.objects.create(fmt="generic", filename="x.csv")
    result = importers.WriteResult()
    importers.write_observations(parsed, run, result)
    assert result.created == 1 and sum(n for *_, n in result.rejected_rows) == 2
    assert list(Observation.objects.filter(area__ags="05113").values_list("value", flat=True)) == [7]
    assert _non_finite() == []
    from tests import factories as f

    municipality = f.MunicipalityFactory()
    own = Indicator.objects.create(key="own", name="Eigen", municipality=municipality)
    with pytest.raises(ValidationError):
        do_record_observation(indicator=own, area=Area.objects.get(ags="05113"), day=date(2021, 4, 1),
                              value=float("nan"), acting_user=SYSTEM)
