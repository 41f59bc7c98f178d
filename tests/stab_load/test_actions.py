"""Sign-in/out, roster, limits, handover and the anonymous strain check."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import PermissionDenied
from krisenwissen.stab import load_actions as actions
from krisenwissen.stab import load_selectors as sel
from krisenwissen.stab.journal import record_in_log
from krisenwissen.stab.models import (
    HandoverBrief,
    LogCategory,
    LogEntry,
    Presence,
    Shift,
    StrainAnswer,
    Task,
    TaskStatus,
)

from .helpers import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_sign_in_twice_is_absorbed_and_sign_out_closes(w):
    staff, person = w["staff"], w["users"]["person"]
    first = actions.do_sign_in(staff, function=w["functions"]["s2"], acting_user=person)
    second = actions.do_sign_in(staff, function=w["functions"]["s2"], acting_user=person)
    assert first.pk == second.pk and Presence.objects.filter(staff=staff).count() == 1
    out = actions.do_sign_out(staff, acting_user=person)
    assert out.ended_at is not None
    assert actions.do_sign_out(staff, acting_user=person) is None


def test_sign_in_for_a_foreign_function_or_as_outsider_is_refused(w):
    staff = w["staff"]
    with pytest.raises(ValidationError):
        actions.do_sign_in(staff, function=w["functions"]["s1"], acting_user=w["users"]["person"])
    with pytest.raises(PermissionDenied):
        actions.do_sign_in(staff, acting_user=w["users"]["administration"])
    assert not Presence.objects.exists()


def test_overload_warns_and_rotation_names_the_rested_deputy(w):
    staff, person = w["staff"], w["users"]["person"]
    now = timezone.now()
    Presence.objects.create(staff=staff, user=person, function=w["functions"]["s2"], started_at=now - dt.timedelta(hours=14))
    figures = sel.individual_figures(staff=staff, user=person, viewer=person)
    assert figures.warnings == ["shift"] and figures.load.stretch_hours == pytest.approx(14, abs=0.01)
    all_figures = sel.all_individual_figures(staff=staff, viewer=w["users"]["s1"])
    suggestions = sel.rotation(staff=staff, figures=all_figures)
    assert [(s["tired"], s["function"].code, s["rested"]) for s in suggestions] == [(person, "s2", [w["users"]["deputy"]])]
    agg = sel.aggregates(staff=staff)
    assert agg.over_shift == 1 and agg.on_duty == 1 and agg.members == 5


def test_individual_figures_only_for_the_person_and_s1(w):
    staff, person = w["staff"], w["users"]["person"]
    assert sel.individual_figures(staff=staff, user=person, viewer=person) is not None
    assert sel.individual_figures(staff=staff, user=person, viewer=w["users"]["s1"]) is not None
    for who in ("leitung", "member", "deputy", "administration", "outsider"):
        assert sel.individual_figures(staff=staff, user=person, viewer=w["users"][who]) is None, who
        assert sel.all_individual_figures(staff=staff, viewer=w["users"][who]) is None, who


def test_staff_limits_override_the_defaults(w, settings):
    staff = w["staff"]
    settings.KRISENWISSEN_STAB_MAX_SHIFT_HOURS = 8
    from krisenwissen.stab.load_config import limits_for

    assert limits_for(staff).max_shift_hours == 8
    actions.do_set_limits(staff, max_shift_hours=10, max_days_without_break=None, acting_user=w["users"]["s1"])
    staff.refresh_from_db()
    assert limits_for(staff).max_shift_hours == 10 and limits_for(staff).max_days_without_break == 10
    with pytest.raises(PermissionDenied):
        actions.do_set_limits(staff, max_shift_hours=20, max_days_without_break=None, acting_user=w["users"]["administration"])
    with pytest.raises(ValidationError):
        actions.do_set_limits(staff, max_shift_hours=99, max_days_without_break=None, acting_user=w["users"]["s1"])


def test_roster_rejects_bad_shifts(w):
    staff, now = w["staff"], timezone.now()
    fn = w["functions"]["s2"]
    shift = actions.do_plan_shift(staff, function=fn, user=w["users"]["person"], starts_at=now, ends_at=now + dt.timedelta(hours=8), acting_user=w["users"]["s1"])
    assert list(sel.roster(staff=staff)) == [shift]
    for starts, ends in ((now, now), (now, now - dt.timedelta(hours=1)), (now, now + dt.timedelta(hours=30))):
        with pytest.raises(ValidationError):
            actions.do_plan_shift(staff, function=fn, user=None, starts_at=starts, ends_at=ends, acting_user=w["users"]["s1"])
    with pytest.raises(ValidationError):
        actions.do_plan_shift(staff, function=fn, user=w["users"]["outsider"], starts_at=now, ends_at=now + dt.timedelta(hours=1), acting_user=w["users"]["s1"])
    with pytest.raises(PermissionDenied):
        actions.do_plan_shift(staff, function=fn, user=None, starts_at=now, ends_at=now + dt.timedelta(hours=1), acting_user=w["users"]["deputy"])
    assert Shift.objects.count() == 1


def test_strain_answer_is_stored_without_the_person(w):
    staff, person = w["staff"], w["users"]["person"]
    before = AuditEntry.objects.count()
    actions.do_answer_strain_check(staff, value=4, acting_user=person)
    answer = StrainAnswer.objects.get()
    assert {f.name for f in StrainAnswer._meta.get_fields()} == {"id", "staff", "day", "value"}
    assert answer.value == 4 and AuditEntry.objects.count() == before
    for bad in (0, 6, "3"):
        with pytest.raises(ValidationError):
            actions.do_answer_strain_check(staff, value=bad, acting_user=person)
    with pytest.raises(PermissionDenied):
        actions.do_answer_strain_check(staff, value=3, acting_user=w["users"]["administration"])
    assert sel.aggregates(staff=staff).strain_total is None  # one answer: too few
    for v in (1, 2, 3, 5):
        actions.do_answer_strain_check(staff, value=v, acting_user=person)
    assert sel.aggregates(staff=staff).strain_total["count"] == 5


def test_handover_brief_lists_open_tasks_and_entries_since_last_sign_out_and_ack_writes_the_etb(w):
    staff, person, leitung = w["staff"], w["users"]["person"], w["users"]["leitung"]
    record_in_log(staff, category=LogCategory.ENTSCHEIDUNG, text="Alte Entscheidung vor der Schicht", acting_user=leitung)
    actions.do_sign_in(staff, acting_user=person)
    actions.do_sign_out(staff, acting_user=person)
    record_in_log(staff, category=LogCategory.ENTSCHEIDUNG, text="Schulen schließen ab Montag", acting_user=leitung)
    record_in_log(staff, category=LogCategory.MELDUNG_EIN, text="Meldung Gesundheitsamt: 12 neue Fälle", acting_user=leitung)
    record_in_log(staff, category=LogCategory.LAGE, text="Lage unverändert", acting_user=leitung)
    Task.objects.create(staff=staff, number=1, title="Schutzausrüstung beschaffen", owner_function=w["functions"]["s2"])
    Task.objects.create(staff=staff, number=2, title="Erledigt", status=TaskStatus.ERLEDIGT)
    brief = actions.do_create_handover_brief(staff, acting_user=person)
    texts = [e["text"] for e in brief.content["entries"]]
    assert texts == ["Schulen schließen ab Montag", "Meldung Gesundheitsamt: 12 neue Fälle"]
    assert [t["title"] for t in brief.content["tasks"]] == ["Schutzausrüstung beschaffen"]
    assert brief.content["lagebild"]["empty_text"] == "keine Lagebild-Daten für die Kommune"
    with pytest.raises(PermissionDenied):
        actions.do_acknowledge_handover(brief, acting_user=w["users"]["deputy"])
    done = actions.do_acknowledge_handover(brief, acting_user=person)
    entry = LogEntry.objects.get(staff=staff, category=LogCategory.SCHICHTWECHSEL)
    assert done.log_entry == entry and "Petra Lage" in entry.text and "1 offene Aufträge" in entry.text
    again = actions.do_acknowledge_handover(HandoverBrief.objects.get(pk=brief.pk), acting_user=person)
    assert again.log_entry == entry and LogEntry.objects.filter(category=LogCategory.SCHICHTWECHSEL).count() == 1


def test_handover_shows_lagebild_changes_of_the_municipality(w):
    from krisenwissen.accounts.models import Role
    from krisenwissen.situation.models import Area, Indicator, Observation, StaffNote
    from tests import factories as f

    staff, person = w["staff"], w["users"]["person"]
    StaffNote.objects.create(municipality=w["city"], date=timezone.localdate(), text="Inzidenz steigt deutlich")
    # Notes are intern to the city: a staff member outside the city's membership does not get them.
    assert actions.do_create_handover_brief(staff, acting_user=person).content["lagebild"]["empty"]
    f.MembershipFactory(municipality=w["city"], role=Role.LESER, user=person)
    area = Area.objects.create(ags="05999000", name="Stadt Last", level="gemeinde", municipality=w["city"])
    indicator = Indicator.objects.create(key="last_testwert", name="Testwert", unit="Fälle")
    today = timezone.localdate()
    Observation.objects.create(area=area, indicator=indicator, date=today - dt.timedelta(days=1), value=10)
    Observation.objects.create(area=area, indicator=indicator, date=today, value=25)
    person = type(person).objects.get(pk=person.pk)  # a new request: no cached memberships
    brief = actions.do_create_handover_brief(staff, acting_user=person)
    assert brief.content["lagebild"]["notes"][0]["text"] == "Inzidenz steigt deutlich"
    assert [(x["from"], x["to"]) for x in brief.content["lagebild"]["figures"]] == [(10, 25)]
    assert not brief.content["lagebild"]["empty"]


def test_concentration_reflects_who_logged_the_work(w):
    staff = w["staff"]
    for i in range(9):
        record_in_log(staff, category=LogCategory.LAGE, text=f"Eintrag {i}", acting_user=w["users"]["person"])
    record_in_log(staff, category=LogCategory.LAGE, text="Eintrag", acting_user=w["users"]["leitung"])
    c = sel.aggregates(staff=staff).concentration
    assert c.people == 5 and c.top_count == 1 and c.top_share == pytest.approx(0.9) and c.gini > 0.6


def test_retention_deletes_presence_data_of_long_deactivated_staffs_only(w):
    from krisenwissen.core.retention import do_apply_retention
    from krisenwissen.stab.models import StaffStatus
    from tests.stab_load.helpers import make_staff

    staff, person = w["staff"], w["users"]["person"]
    actions.do_sign_in(staff, acting_user=person)
    actions.do_answer_strain_check(staff, value=3, acting_user=person)
    actions.do_create_handover_brief(staff, acting_user=person)
    active = make_staff()
    Presence.objects.create(staff=active, user=person, started_at=timezone.now() - dt.timedelta(days=400))
    counts = do_apply_retention()
    assert counts.get("stab_anwesenheiten") == 0 and Presence.objects.count() == 2
    staff.status, staff.deactivated_at = StaffStatus.DEAKTIVIERT, timezone.now() - dt.timedelta(days=181)
    staff.save()
    counts = do_apply_retention()
    assert counts["stab_anwesenheiten"] == 1 and counts["stab_befindlichkeit"] == 1 and counts["stab_uebergabebriefe"] == 1
    assert counts["stab_protokoll_anwesenheit"] == 1  # the audit row of the sign-in is gone too
    assert not AuditEntry.objects.filter(action="stab.load_signed_in", object_id=str(staff.pk)).exists()
    assert list(Presence.objects.values_list("staff_id", flat=True)) == [active.pk]
