"""Check against reality (docs/situation.md): scripts/lagebild_reality_check.py.

The script reads the RKI's published ("fixierte") 7-day incidences from the workbook with openpyxl and runs
the pure rule engine with the built-in § 28b rule set and the NRW holidays. These tests pin what the issue
states about the published and the computed series and check that every documented announced date is
consistent with the platform's date on the published series in the way the documentation says.
"""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path

import holidays as holidays_lib
import pytest

from .conftest import COVID, FIVE, need

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "lagebild_reality_check.py"
WORKBOOK = COVID / "rki" / "Fallzahlen_Kum_Tab_2021-11-22.xlsx"
NRW = holidays_lib.Germany(subdiv="NW", years=2021)


def _load():
    spec = importlib.util.spec_from_file_location("lagebild_reality_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rc():
    return _load()


@pytest.fixture(scope="module")
def rows(rc):
    need(WORKBOOK)
    return rc.compare(COVID.parent.parent)


def _row(rows, city, level, change):
    return next(r for r in rows if r["city"] == city and r["level"] == level and r["change"].startswith(change))


def test_published_values_read_from_the_workbook(rc):
    pub = rc.published_series(need(WORKBOOK), FIVE)
    assert set(pub) == set(FIVE)
    assert pub["05113"][date(2021, 4, 27)] == pytest.approx(179.66, abs=0.005)   # Essen, issue 13
    assert pub["05315"][date(2021, 5, 16)] == pytest.approx(89.81, abs=0.005)    # Köln, issue 13
    # Header dates are partly text ("18.11.2020"), partly spreadsheet dates: both read, no day lost.
    assert min(pub["05913"]) == date(2020, 11, 18) and max(pub["05913"]) == date(2021, 11, 22)
    assert len(pub["05913"]) == (date(2021, 11, 22) - date(2020, 11, 18)).days + 1


def test_the_issue_s_four_differences_of_the_computed_series(rows):
    dortmund = _row(rows, "Dortmund", 100, "außer")
    assert (dortmund["published"], dortmund["computed"]) == ("2021-05-27", "2021-05-23")   # four days early
    gelsenkirchen = _row(rows, "Gelsenkirchen", 100, "außer")
    assert (gelsenkirchen["published"], gelsenkirchen["computed"]) == ("2021-05-24", "2021-05-29")  # five too long
    start, end = _row(rows, "Essen", 165, "in"), _row(rows, "Essen", 165, "außer")
    assert (start["published"], start["computed"]) == ("2021-04-28", "2021-04-26")   # Mon, Tue missed
    assert (end["published"], end["computed"]) == ("2021-05-09", "2021-05-05")       # Wed–Fri missed


def _first_day(day: date, *, school: bool) -> date:
    """The first school day (Mon–Fri) or shopping day (Mon–Sat) on or after ``day`` that is no NRW holiday."""
    last = 4 if school else 5
    while day.weekday() > last or day in NRW:
        day += timedelta(days=1)
    return day


def test_announced_dates_relate_to_the_published_series_as_documented(rc, rows):
    assert len(rows) == 28 and all(r["published"] for r in rows)
    assert len({(a["ags"], a["level"], a["change"]) for a in rc.ANNOUNCED}) == len(rc.ANNOUNCED) == len(rows)
    with_date = 0
    for r in rows:
        published = date.fromisoformat(r["published"])
        announced = date.fromisoformat(r["announced"]) if r["announced"] else None
        assert r["sources"] and all(s["url"].startswith("http") for s in r["sources"]), r
        if announced:
            with_date += 1
        if r["kind"] == "same":
            assert announced == published, r
        elif r["kind"] == "first_day":
            assert announced == _first_day(published, school=r["level"] == 165) != published, r
        elif r["kind"] == "earlier":
            assert announced in (None, published, _first_day(published, school=True)), r
            assert r["earlier_from"] is None or date.fromisoformat(r["earlier_from"]) < published, r
        elif r["kind"] == "trigger_only":
            ann = rc.announced_for(r["ags"], r["level"], r["change"])
            assert ann["announced_trigger"] == r["published_trigger"], r
        else:  # pragma: no cover - every transition has a documented entry
            pytest.fail(f"no announcement documented: {r}")
    assert with_date >= 20


def test_markdown_table_lists_every_transition_with_its_sources(rc, rows):
    text = rc.markdown(rows)
    table = [line for line in text.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(table) == 28
    assert "| Essen | 165 | in Kraft ab | Wed 28.04. | Mon 26.04. (-2) | Wed 28.04. | same day |" in text
    assert "https://essen.de/meldungen/pressemeldung_1426356.de.html" in text


def test_documented_table_is_the_script_s_output(rc, rows):
    doc = (SCRIPT.parents[1] / "docs" / "situation.md").read_text(encoding="utf-8")
    assert rc.markdown(rows) in doc, "docs/situation.md is out of date: paste `scripts/lagebild_reality_check.py --markdown`"
