"""The RKI workbook of fixed 7-day figures: import, editions, malformed files, rules on the published series."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from krisenwissen.core.policy import SYSTEM
from krisenwissen.situation import parsing, selectors
from krisenwissen.situation.actions import do_import_file
from krisenwissen.situation.models import ImportRun, Observation, ObservationRevision

from .conftest import COVID, FIVE, need

WORKBOOK = COVID / "rki" / "Fallzahlen_Kum_Tab_2021-11-22.xlsx"
INC = parsing.PUBLISHED_INCIDENCE
CASES = parsing.PUBLISHED_CASES


def _sheet_values():
    """Reference values straight from the workbook (openpyxl, without the importer)."""
    import openpyxl

    wb = openpyxl.load_workbook(need(WORKBOOK), read_only=True, data_only=True)
    out = {}
    for title, key, header in (("LK_7-Tage-Inzidenz (fixiert)", INC, 5), ("LK_7-Tage-Fallzahlen (fixiert)", CASES, 5),
                               ("BL_7-Tage-Inzidenz (fixiert)", INC, 3), ("BL_7-Tage-Fallzahlen (fixiert)", CASES, 3)):
        rows = list(wb[title].iter_rows(values_only=True))
        out[title] = (key, rows, header)
    wb.close()
    return out


@pytest.fixture(scope="module")
def workbook_bytes():
    return need(WORKBOOK).read_bytes()


@pytest.fixture
def workbook_imported(ref_imported, workbook_bytes):
    run = do_import_file(workbook_bytes, filename=WORKBOOK.name, acting_user=SYSTEM)
    assert run.status == "ok", run.report
    return run


def test_smoke(workbook_imported):
    run = workbook_imported
    print(run.report, run.created, run.rows_read, run.rejected, run.data_as_of)
    assert Observation.objects.get(area__ags="05113", indicator__key=INC, date=date(2021, 4, 27)).value == pytest.approx(179.66, abs=0.01)
