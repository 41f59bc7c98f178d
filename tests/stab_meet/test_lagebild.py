"""The Lagebild's figures and rule status of the staff's municipality on the Lage item and in the
Lagebericht (read from the situation app's selectors; a snapshot that later imports do not change)."""

from datetime import date

import pytest

from krisenwissen.stab import meet_actions as actions
from krisenwissen.stab.meet_documents import protocol_document, report_document
from krisenwissen.stab.meet_selectors import lagebild_snapshot
from tests.conftest import SHARED_DATA

from .helpers import make_staff

pytestmark = pytest.mark.django_db
DISTRICTS = SHARED_DATA / "covid" / "districts"


@pytest.fixture
def essen_lagebild(db):
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.situation.actions import do_import_file
    from krisenwissen.situation.models import Area

    for name, fmt in (("ref-de-districts.tsv", "districts-ref"), ("de-district_timeseries-05113.tsv", "districts")):
        path = DISTRICTS / name
        assert path.exists(), f"shared data missing: {path}"
        run = do_import_file(path.read_bytes(), filename=name, fmt=fmt, acting_user=SYSTEM)
        assert run.status == "ok", run.report
    w = make_staff()
    Area.objects.filter(ags="05113").update(municipality=w["staff"].municipality)
    return w


def test_the_lage_item_and_the_report_carry_the_figures_and_rule_status(essen_lagebild):
    w = essen_lagebild
    snapshot = lagebild_snapshot(w["staff"], as_of=date(2020, 4, 15))
    assert snapshot["as_of_text"] == "15.04.2020"
    [area] = snapshot["areas"]
    assert "Essen" in area["name"] and area["figures"] and area["statuses"]
    assert any(f["name"] and f["value"] != "–" for f in area["figures"])
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["s2"])
    assert meeting.lagebild["areas"][0]["name"] == area["name"]
    assert area["figures"][0]["name"] in protocol_document(meeting).plain_text()
    report = actions.do_create_situation_report(w["staff"], title="Lage", acting_user=w["users"]["s2"])
    text = report_document(report).plain_text()
    assert "Regelstatus" in text and area["statuses"][0]["rule"] in text


def test_a_municipality_without_lagebild_data_gets_a_plain_note():
    w = make_staff()
    assert lagebild_snapshot(w["staff"]) == {}
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["s2"])
    assert "keine Kennzahlen" in protocol_document(meeting).plain_text()
