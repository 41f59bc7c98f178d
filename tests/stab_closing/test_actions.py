"""The Rückführung: handing tasks over, decisions, archive, notification, deactivation with the
hot debrief, partial deactivation and re-activation (history kept, ETB numbering continues)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.core.policy import SYSTEM
from krisenwissen.people import actions as people_actions
from krisenwissen.stab import closing_actions as actions
from krisenwissen.stab.closing_selectors import checklist_state, open_checklist
from krisenwissen.stab.models import ClosingChecklist, LogEntry, StaffAssignment, StaffStatus, Task
from krisenwissen.workshops import selectors as workshop_selectors
from krisenwissen.workshops.models import Card, WorkshopKind
from tests import factories as f

from .staffs import fresh, make_staff

pytestmark = pytest.mark.django_db


def _texts(staff):
    return list(LogEntry.objects.filter(staff=staff).order_by("number").values_list("text", flat=True))


def _complete_checklist(staff, people):
    lead = people["leitung"]
    organisation = people_actions.do_create_organisation(staff.municipality, name="Gesundheitsamt", acting_user=SYSTEM)
    actions.do_hand_over_task(Task.objects.get(staff=staff, number=1), owner_organisation=organisation,
                              owner_text="Abteilung Infektionsschutz", acting_user=lead)
    actions.do_hand_over_task(Task.objects.get(staff=staff, number=2), owner_text="Bürgeramt, Frau Kaya", acting_user=lead)
    actions.do_confirm_decisions(staff, note="Schulöffnung entscheidet der Verwaltungsvorstand.", acting_user=lead)
    actions.do_confirm_archive(staff, note="Stadtarchiv, Bestand 2020/7", acting_user=lead)
    return actions.do_notify_members(staff, message="Danke für Ihren Einsatz.", acting_user=lead)


def test_the_checklist_steps_write_etb_entries_and_audit_rows():
    staff, people = make_staff()
    before = LogEntry.objects.filter(staff=staff).count()
    assert _complete_checklist(staff, people) == 4
    state = checklist_state(staff, open_checklist(staff))
    assert state["complete"] and state["open_count"] == 0
    texts = _texts(staff)[before:]
    assert len(texts) == 5
    assert "Auftrag Nr. 1 „Hygienekonzept Rathaus“ an die Regelorganisation übergeben: Gesundheitsamt – Abteilung Infektionsschutz" in texts[0]
    assert "2 Entscheidung(en)" not in texts[2] and "1 Entscheidung(en)" in texts[2] and "Verwaltungsvorstand" in texts[2]
    assert "Export des Einsatztagebuchs" in texts[3] and "Stadtarchiv" in texts[3]
    assert "4 Mitglied(er)" in texts[4]
    actions_written = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"stab.task_handed_over", "stab.decisions_confirmed", "stab.archive_confirmed", "stab.members_notified"} <= actions_written
    notes = Notification.objects.filter(subject__contains="Rückführung")
    assert notes.count() == 4 and "Danke für Ihren Einsatz." in notes.first().body


def test_a_second_handover_changes_the_owner_and_says_so():
    staff, people = make_staff()
    task = Task.objects.get(staff=staff, number=1)
    actions.do_hand_over_task(task, owner_text="Ordnungsamt", acting_user=people["leitung"])
    actions.do_hand_over_task(task, owner_text="Gesundheitsamt", acting_user=people["admin"])
    assert open_checklist(staff).handovers.get().owner_text == "Gesundheitsamt"
    assert "geändert, übernimmt jetzt: Gesundheitsamt" in _texts(staff)[-1]


def test_bad_handover_input_gets_a_german_message_and_writes_nothing():
    staff, people = make_staff()
    lead = people["leitung"]
    task = Task.objects.get(staff=staff, number=1)
    before = LogEntry.objects.filter(staff=staff).count()
    with pytest.raises(ValidationError, match="wer den Auftrag übernimmt"):
        actions.do_hand_over_task(task, owner_text="   ", acting_user=lead)
    with pytest.raises(ValidationError, match="zu lang"):
        actions.do_hand_over_task(task, owner_text="x" * 301, acting_user=lead)
    other_city = f.MunicipalityFactory(name="Dortmund", ags="05913")
    foreign = people_actions.do_create_organisation(other_city, name="Feuerwehr Dortmund", acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="eigenen Kommune"):
        actions.do_hand_over_task(task, owner_organisation=foreign, acting_user=lead)
    with pytest.raises(ValidationError, match="nicht mehr offen"):
        actions.do_hand_over_task(Task.objects.get(staff=staff, number=3), owner_text="Ordnungsamt", acting_user=lead)
    assert LogEntry.objects.filter(staff=staff).count() == before
    assert not ClosingChecklist.objects.filter(staff=staff).exists()


def test_only_leitung_and_administration_run_the_closing():
    staff, people = make_staff()
    task = Task.objects.get(staff=staff, number=1)
    for who in ("s1", "s2"):
        with pytest.raises(PermissionDenied):
            actions.do_hand_over_task(task, owner_text="Ordnungsamt", acting_user=people[who])
        with pytest.raises(PermissionDenied):
            actions.do_deactivate_staff(staff, justification="Die Lage ist vorbei, wir hören auf.", acting_user=people[who])
    outsider = f.MembershipFactory(municipality=f.MunicipalityFactory(name="Bochum", ags="05911"), role="administration").user
    with pytest.raises(PermissionDenied):
        actions.do_confirm_archive(staff, acting_user=outsider)
    actions.do_confirm_archive(staff, acting_user=people["admin"])


def test_deactivation_needs_the_checklist_or_a_justification():
    staff, people = make_staff()
    lead = people["leitung"]
    with pytest.raises(ValidationError, match="4 Punkt"):
        actions.do_deactivate_staff(staff, acting_user=lead)
    with pytest.raises(ValidationError, match="begründen"):
        actions.do_deactivate_staff(staff, justification="weil", acting_user=lead)
    staff.refresh_from_db()
    assert staff.status == StaffStatus.AKTIV and not staff.log_entries.filter(text__contains="deaktiviert").exists()
    checklist = actions.do_deactivate_staff(staff, justification="Lage beendet, Übergabe erfolgt mündlich im Verwaltungsvorstand.",
                                            acting_user=lead)
    staff.refresh_from_db()
    assert staff.status == StaffStatus.DEAKTIVIERT and staff.deactivated_at == checklist.closed_at
    assert not checklist.complete_at_close and "mündlich" in checklist.justification
    assert "trotz offener Punkte" in _texts(staff)[-1] and "mündlich" in _texts(staff)[-1]
    audit = AuditEntry.objects.get(action="stab.staff_deactivated")
    assert audit.actor == lead and audit.details["old"] == "aktiv" and audit.details["new"] == "deaktiviert"
    with pytest.raises(ValidationError, match="deaktiviert"):
        actions.do_confirm_archive(staff, acting_user=people["admin"])


def test_deactivation_schedules_the_hot_debrief_with_the_timeline_prefilled():
    crisis = f.CrisisFactory(title="COVID-19-Pandemie")
    f.PhaseFactory(crisis=crisis, number=1, name="Eindämmung", start=dt.date(2000, 1, 1), end=None)
    staff, people = make_staff(crisis=crisis)
    _complete_checklist(staff, people)
    members = [people[c] for c in ("leitung", "s1", "s2", "gesundheit")]
    checklist = actions.do_deactivate_staff(staff, acting_user=people["admin"])
    assert checklist.complete_at_close and checklist.justification == ""
    workshop = checklist.debrief
    assert workshop.kind == WorkshopKind.NACHBESPRECHUNG and workshop.crisis == crisis and workshop.host == staff.municipality
    assert set(workshop.facilitators.all()) == {people["leitung"], people["admin"]}
    assert workshop.start_date == (checklist.closed_at + dt.timedelta(days=1)).date() or workshop.start_date > checklist.closed_at.date()
    cards = {c.text for c in Card.objects.filter(workshop=workshop)}
    assert any(t.startswith("Lage (ETB Nr. 1): Erster bestätigter Fall") for t in cards)
    assert "Entscheidung (ETB Nr. 2) (berichtigt): Schulen schließen ab Dienstag" in cards
    assert any(t.startswith("Besonderes Vorkommnis (ETB Nr. 4)") for t in cards)
    assert any(t.startswith("Schichtwechsel am ") and "1 Übergabe(n)" in t for t in cards)
    assert any(t.startswith("Überfälliger Auftrag Nr. 1: Hygienekonzept Rathaus") and "übergeben an Gesundheitsamt" in t for t in cards)
    assert any(t.startswith("Offener Auftrag Nr. 2: Bürgertelefon") for t in cards)
    assert not any("Masken" in t or "Anfrage der Presse" in t for t in cards)
    # On the timeline wall (the crisis phase found by the dates).
    board = workshop_selectors.board(workshop)
    assert sum(len(col["cards"]) for col in board["timeline"]) == len(cards)
    # Members invited to the debrief with the join link; assignments ended (kept as rows).
    invitations = Notification.objects.filter(subject__contains="Nachbesprechung")
    assert {n.recipient for n in invitations} == set(members)
    assert invitations.first().url.endswith(f"/mitmachen/{workshop.join_token}/")
    assert StaffAssignment.objects.filter(function__staff=staff).count() == 4
    assert not StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True).exists()
    assert "Nachbesprechung (Reflexionsraum)" in _texts(staff)[-2] and _texts(staff)[-1] == "Stab deaktiviert; Rückführung vollständig."
    assert AuditEntry.objects.filter(action="stab.debrief_scheduled").exists()
    assert AuditEntry.objects.filter(action="workshops.timeline_prefilled").exists()


def test_an_exercise_says_uebung_in_its_notifications_and_debrief():
    staff, people = make_staff(exercise=True, name="Starkregen")
    actions.do_notify_members(staff, acting_user=people["leitung"])
    checklist = actions.do_deactivate_staff(staff, justification="Übung beendet, keine Übergaben nötig.", acting_user=people["leitung"])
    assert all(n.subject.startswith("ÜBUNG – Starkregen") for n in Notification.objects.all())
    assert checklist.debrief.title == "Nachbesprechung: ÜBUNG – Starkregen"


def test_partial_deactivation_ends_one_function_and_keeps_the_staff():
    staff, people = make_staff()
    function = staff.functions.get(code="gesundheit")
    actions.do_deactivate_function(function, acting_user=people["leitung"])
    function.refresh_from_db()
    staff.refresh_from_db()
    assert not function.active and staff.status == StaffStatus.AKTIV
    assignment = StaffAssignment.objects.get(function=function)
    assert assignment.ended_at is not None
    assert "Teildeaktivierung: Funktion „Gesundheitsamt“ deaktiviert, 1 Besetzung(en) beendet" in _texts(staff)[-1]
    with pytest.raises(ValidationError, match="bereits"):
        actions.do_deactivate_function(function, acting_user=people["leitung"])
    with pytest.raises(ValidationError, match="Leitung endet"):
        actions.do_deactivate_function(staff.functions.get(code="leitung"), acting_user=people["admin"])


def test_reactivation_keeps_the_history_and_the_etb_numbering():
    staff, people = make_staff()
    actions.do_deactivate_function(staff.functions.get(code="gesundheit"), acting_user=people["leitung"])
    first = actions.do_deactivate_staff(staff, justification="Lage beendet, Übergabe im Verwaltungsvorstand.", acting_user=people["leitung"])
    numbers = list(LogEntry.objects.filter(staff=staff).values_list("number", flat=True))
    rows = StaffAssignment.objects.filter(function__staff=staff).count()
    # The former Leitung (its assignment ended with the deactivation) may activate it again; S2 may not.
    with pytest.raises(PermissionDenied):
        actions.do_reactivate_staff(staff, acting_user=fresh(people["s2"]))
    actions.do_reactivate_staff(staff, acting_user=fresh(people["leitung"]))
    staff.refresh_from_db()
    assert staff.status == StaffStatus.AKTIV and staff.deactivated_at is None
    # New assignments for the three functions still active; the old rows stay.
    assert StaffAssignment.objects.filter(function__staff=staff).count() == rows + 3
    assert set(StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True).values_list("function__code", flat=True)) == {
        "leitung", "s1", "s2"}
    new_numbers = list(LogEntry.objects.filter(staff=staff).values_list("number", flat=True))
    assert new_numbers[: len(numbers)] == numbers and new_numbers[-1] == numbers[-1] + 1
    assert "wieder aktiviert; 3 Besetzung(en)" in _texts(staff)[-1]
    first.refresh_from_db()
    assert first.reopened_at is not None and first.debrief is not None
    # A second deactivation starts a new checklist and a new debrief; the first is kept.
    second = actions.do_deactivate_staff(staff, justification="Zweite Welle vorbei, Übergabe erfolgt.", acting_user=fresh(people["leitung"]))
    assert second.pk != first.pk and second.debrief_id != first.debrief_id
    assert ClosingChecklist.objects.filter(staff=staff).count() == 2


def test_double_submits_are_stored_once():
    staff, people = make_staff()
    lead = people["leitung"]
    task = Task.objects.get(staff=staff, number=1)
    first = actions.do_hand_over_task(task, owner_text="Ordnungsamt", acting_user=lead)
    count = LogEntry.objects.filter(staff=staff).count()
    assert actions.do_hand_over_task(task, owner_text="Ordnungsamt", acting_user=lead).pk == first.pk
    actions.do_confirm_decisions(staff, note="x", acting_user=lead)
    actions.do_confirm_decisions(staff, note="x", acting_user=lead)
    actions.do_confirm_archive(staff, acting_user=lead)
    actions.do_confirm_archive(staff, acting_user=lead)
    assert actions.do_notify_members(staff, acting_user=lead) == 4
    assert actions.do_notify_members(staff, acting_user=lead) == 4
    assert LogEntry.objects.filter(staff=staff).count() == count + 3
    assert Notification.objects.filter(subject__contains="Rückführung").count() == 4
    # A different note is a new confirmation.
    actions.do_confirm_decisions(staff, note="y", acting_user=lead)
    assert LogEntry.objects.filter(staff=staff).count() == count + 4


def test_a_long_log_gives_a_bounded_debrief_timeline():
    from django.utils import timezone

    from krisenwissen.stab.closing_selectors import debrief_timeline
    from krisenwissen.workshops.actions import PREFILL_MAX_ITEMS

    staff, people = make_staff(entries=False)
    now = timezone.now()
    categories = ["lage"] * 6 + ["entscheidung", "vorkommnis", "schichtwechsel", "meldung_ein"]
    LogEntry.objects.bulk_create([
        LogEntry(staff=staff, number=n, event_at=now - dt.timedelta(minutes=5 * (5000 - n)), entered_at=now,
                 category=categories[n % len(categories)], text=f"Eintrag {n}", prev_hash="0" * 64, hash=f"{n:064d}")
        for n in range(1, 5001)])
    items = debrief_timeline(staff)
    assert 0 < len(items) <= PREFILL_MAX_ITEMS
    assert len({i["key"] for i in items}) == len(items)
    checklist = actions.do_deactivate_staff(staff, justification="Belastungstest der Nachbesprechung.", acting_user=people["admin"])
    assert Card.objects.filter(workshop=checklist.debrief).count() == len(items)
