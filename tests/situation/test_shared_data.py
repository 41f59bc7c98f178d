"""Shared area data with ownership (issue 11, defect 10).

District series are read by every municipality; one city's Redaktion must not be able to
rewrite another city's figures (and with them its rule status). The platform data role may,
and every such revision is audited and told to the municipality whose status it changes.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.core.policy import SYSTEM, PermissionDenied
from krisenwissen.situation import selectors
from krisenwissen.situation.actions import do_import_file, do_record_observation
from krisenwissen.situation.events import SituationEvent
from krisenwissen.situation.models import (
    Area,
    ImportRun,
    Indicator,
    Observation,
    ObservationRevision,
)
from krisenwissen.situation.sharing import rulesets_of
from tests import factories as f

from .conftest import COVID, need

DAY = date(2021, 4, 26)


def forged_district_file(ags: str, *, factor: int, start: str = "2021-04-01") -> bytes:
    """The real RKI-style district file with invented (multiplied) case numbers from ``start`` on."""
    text = need(COVID / "districts" / f"de-district_timeseries-{ags}.tsv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    col = rows[0].index("Cases_New")
    for row in rows[1:]:
        if row and row[0] >= start:
            row[col] = str(int(float(row[col])) * factor)
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def statuses(area) -> dict:
    selectors.clear_caches()
    # A correction arriving now changes the status on today's values (what was known then stays as it was).
    sit = selectors.situation([area], as_of=DAY, rulesets=list(rulesets_of(area.municipality_id)),
                              knowledge=selectors.CURRENT)[0]
    return {(st.ruleset.key, st.rule.key): st.evaluation.status for st in sit.statuses}


@pytest.fixture
def two_cities(city_a, city_b, ref_imported):
    """City A (Dortmund, 05913) and city B (Düsseldorf, 05111) with their district series."""
    Area.objects.filter(ags=city_a.ags).update(municipality=city_a)
    Area.objects.filter(ags=city_b.ags).update(municipality=city_b)
    for ags in (city_a.ags, city_b.ags):
        p = need(COVID / "districts" / f"de-district_timeseries-{ags}.tsv")
        assert do_import_file(p.read_bytes(), filename=p.name, fmt="districts", acting_user=SYSTEM).status == "ok"
    return Area.objects.get(ags=city_a.ags), Area.objects.get(ags=city_b.ags)


def test_editor_of_city_a_cannot_rewrite_city_b_district_and_nothing_is_written(two_cities, city_a):
    area_a, area_b = two_cities
    editor_a = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    forged = forged_district_file(area_b.ags, factor=10)
    values_before = list(Observation.objects.filter(area=area_b).order_by("indicator", "date")
                         .values_list("indicator", "date", "value"))
    runs_before, audit_before = ImportRun.objects.count(), AuditEntry.objects.count()
    for fmt in ("districts", None):  # named or detected from the file
        with pytest.raises(PermissionDenied, match="nur die Plattform-Datenpflege"):
            do_import_file(forged, filename=f"de-district_timeseries-{area_b.ags}.tsv", fmt=fmt,
                           acting_user=editor_a)
    assert list(Observation.objects.filter(area=area_b).order_by("indicator", "date")
                .values_list("indicator", "date", "value")) == values_before
    assert ImportRun.objects.count() == runs_before and AuditEntry.objects.count() == audit_before
    assert not ObservationRevision.objects.exists() and not Notification.objects.exists()


def test_editor_gets_a_german_form_error_in_the_browser(client, two_cities, city_a):
    _area_a, area_b = two_cities
    editor_a = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    client.force_login(editor_a)
    upload = io.BytesIO(forged_district_file(area_b.ags, factor=10))
    upload.name = f"de-district_timeseries-{area_b.ags}.tsv"
    runs_before = ImportRun.objects.count()
    r = client.post(reverse("situation:import"), {"datei": upload, "format": "districts"})
    assert r.status_code == 200
    assert "nur die Plattform-Datenpflege" in r.content.decode()
    assert ImportRun.objects.count() == runs_before


def test_platform_data_role_revision_is_audited_and_city_b_is_told(client, two_cities, city_a, city_b,
                                                                   platform_user):
    area_a, area_b = two_cities
    editor_a = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    editor_b = f.MembershipFactory(municipality=city_b, role=Role.REDAKTION).user
    reader_b = f.MembershipFactory(municipality=city_b, role=Role.LESER).user
    before = statuses(area_b)
    faelle = Indicator.objects.get(key="faelle_neu")
    old_value = Observation.objects.get(area=area_b, indicator=faelle, date=DAY).value

    run = do_import_file(forged_district_file(area_b.ags, factor=10), acting_user=platform_user,
                         filename=f"de-district_timeseries-{area_b.ags}.tsv", fmt="districts")

    assert run.status == "ok" and run.updated > 0 and run.user == platform_user
    after = statuses(area_b)
    assert after != before  # the invented figures change city B's rule status
    # revision history of the day: old → new, by whom (the run's person) and when
    rev = ObservationRevision.objects.get(area=area_b, indicator=faelle, date=DAY)
    assert (rev.value, rev.new_value) == (old_value, old_value * 10)
    assert rev.replaced_by == run and rev.replaced_by.user == platform_user
    assert [v for _when, v, _run in selectors.value_history(area_b, indicator_key="faelle_neu", day=DAY)] \
        == [old_value, old_value * 10]
    # audit: the revision (platform-wide) and the status change (for city B)
    revised = AuditEntry.objects.get(action=SituationEvent.SHARED_DATA_REVISED)
    assert revised.actor == platform_user and revised.details["values_changed"] == run.updated
    assert {"ags": area_b.ags, "indicator": "faelle_neu", "date": DAY.isoformat(), "old": old_value,
            "new": old_value * 10} in revised.details["values"]
    assert revised.details["municipalities_notified"] == [city_b.ags]
    changed = AuditEntry.objects.get(action=SituationEvent.RULE_STATUS_CHANGED)
    assert changed.municipality == city_b and changed.actor == platform_user and changed.details["rules"]
    # notification: city B's Redaktion, not city A, not B's readers
    notes = Notification.objects.filter(recipient=editor_b)
    assert notes.count() == 1
    note = notes.get()
    assert "Regelstatus" in note.subject and area_b.name in note.subject
    assert "datenpflege" in note.body or platform_user.get_full_name() in note.body
    assert "→" in note.body and note.url.startswith(reverse("situation:area_detail", args=[area_b.ags]))
    assert not Notification.objects.filter(recipient__in=[editor_a, reader_b]).exists()
    # city B's people see the correction, old and new value, on the area page
    client.force_login(reader_b)
    page = client.get(note.url).content.decode()
    assert "Korrekturen (Datenstand)" in page and "neuer Wert" in page


def test_reimport_without_change_tells_nobody(two_cities, platform_user):
    _area_a, area_b = two_cities
    p = need(COVID / "districts" / f"de-district_timeseries-{area_b.ags}.tsv")
    run = do_import_file(p.read_bytes(), filename=p.name, fmt="districts", acting_user=platform_user)
    assert run.updated == 0 and run.unchanged > 0
    assert not AuditEntry.objects.filter(action__in=[SituationEvent.SHARED_DATA_REVISED,
                                                     SituationEvent.RULE_STATUS_CHANGED]).exists()
    assert not Notification.objects.exists()


def test_redaktion_keeps_own_values_and_cannot_write_shared_ones(two_cities, city_a, city_b):
    area_a, area_b = two_cities
    editor_a = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    editor_b = f.MembershipFactory(municipality=city_b, role=Role.REDAKTION).user
    from krisenwissen.situation.actions import do_create_indicator

    own = do_create_indicator(municipality=city_a, name="Anrufe Bürgertelefon", acting_user=editor_a)
    do_record_observation(indicator=own, area=area_a, day=DAY, value=10, acting_user=editor_a)
    with pytest.raises(PermissionDenied):
        do_record_observation(indicator=own, area=area_a, day=DAY, value=99, acting_user=editor_b)
    # generic CSV: own rows are written, rows of shared indicators refused one by one
    run = do_import_file(f"ags;indikator;datum;wert\n{area_a.ags};{own.key};{DAY};12\n"
                         f"{area_b.ags};faelle_neu;{DAY};9999\n".encode(), filename="eigene.csv", acting_user=editor_a)
    assert run.updated == 1 and run.rejected == 1
    assert Observation.objects.get(area=area_a, indicator=own, date=DAY).value == 12
    assert Observation.objects.get(area=area_b, indicator__key="faelle_neu", date=DAY).value != 9999
    rev = ObservationRevision.objects.get(indicator=own)
    assert (rev.value, rev.new_value) == (10, 12)


def test_superuser_and_system_hold_the_platform_data_role(db, admin_user):
    from krisenwissen.core.policy import has_perm

    assert has_perm(admin_user, "situation.import_shared_data")
    assert has_perm(SYSTEM, "situation.import_shared_data")
    editor = f.MembershipFactory(role=Role.ADMINISTRATION).user
    assert not has_perm(editor, "situation.import_shared_data")


def test_generic_csv_revision_of_shared_values_by_the_platform_role_is_audited(two_cities, platform_user):
    _area_a, area_b = two_cities
    old = Observation.objects.get(area=area_b, indicator__key="faelle_neu", date=DAY).value
    run = do_import_file(f"ags;indikator;datum;wert\n{area_b.ags};faelle_neu;{DAY};{old + 1:.0f}\n".encode(),
                         filename="korrektur.csv", acting_user=platform_user)
    assert run.updated == 1
    revised = AuditEntry.objects.get(action=SituationEvent.SHARED_DATA_REVISED)
    assert revised.actor == platform_user
    assert revised.details["values"] == [{"ags": area_b.ags, "indicator": "faelle_neu", "date": DAY.isoformat(),
                                          "old": old, "new": old + 1}]
