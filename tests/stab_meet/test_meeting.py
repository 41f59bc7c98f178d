"""The Lagebesprechung: fixed agenda, time boxes, tagged contributions, decisions that become
tasks, the next meeting announced, the protocol generated at close, nothing lost on restart."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krisenwissen.core.policy import PermissionDenied
from krisenwissen.stab import meet_actions as actions
from krisenwissen.stab.meet_documents import protocol_document
from krisenwissen.stab.meet_selectors import time_box
from krisenwissen.stab.models import LogCategory, LogEntry, Meeting, MeetingStatus, Staff, Task

from .helpers import make_staff

pytestmark = pytest.mark.django_db


def test_agenda_has_lage_first_functions_in_order_and_leitung_last():
    w = make_staff()
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["s2"])
    items = list(meeting.items.order_by("position"))
    assert [i.kind for i in items] == ["lage", "funktion", "funktion", "funktion", "leitung"]
    assert items[0].function == w["functions"]["s2"] and "S2 Lage" in items[0].title
    assert [i.function.code for i in items[1:4]] == ["gesundheit", "ordnung", "bium"]
    assert items[-1].function == w["functions"]["leitung"]
    assert meeting.planned_minutes == 5 + 4 * 3
    assert items[0].started_at is not None and meeting.current_position == 0
    box = time_box(items[0])
    assert 0 < box["seconds_left"] <= 300 and not box["overrun"]


def test_only_leitung_koordinierung_or_s2_run_the_meeting():
    w = make_staff()
    with pytest.raises(PermissionDenied, match="Leitung, Koordinierungsgruppe oder S2"):
        actions.do_start_meeting(w["staff"], acting_user=w["users"]["gesundheit"])
    with pytest.raises(PermissionDenied):
        actions.do_start_meeting(w["staff"], acting_user=w["users"]["outsider"])
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["leitung"])
    # a second start (double submit, or a second chair) joins the running meeting
    assert actions.do_start_meeting(w["staff"], acting_user=w["users"]["s2"]).pk == meeting.pk
    with pytest.raises(PermissionDenied):
        actions.do_record_decision(meeting, text="x", acting_user=w["users"]["gesundheit"])


def test_contributions_are_tagged_and_only_for_an_own_function():
    w = make_staff()
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["s2"])
    fact = actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["gesundheit"], text="120 neue Fälle.",
                                       acting_user=w["users"]["gesundheit"], client_key="k1")
    again = actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["gesundheit"], text="120 neue Fälle.",
                                        acting_user=w["users"]["gesundheit"], client_key="k1")
    assert fact.pk == again.pk and meeting.contributions.count() == 1
    assert fact.item.position == 0 and fact.get_kind_display() == "Fakt"
    with pytest.raises(ValidationError) as exc:
        actions.do_add_contribution(meeting, kind="frage", function=w["functions"]["ordnung"], text="?", acting_user=w["users"]["gesundheit"])
    assert "eigene Funktion" in str(exc.value)
    with pytest.raises(ValidationError):
        actions.do_add_contribution(meeting, kind="meinung", function=w["functions"]["gesundheit"], text="x", acting_user=w["users"]["gesundheit"])
    with pytest.raises(ValidationError):
        actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["gesundheit"], text="x" * 5000, acting_user=w["users"]["gesundheit"])
    # the chair minutes for any function
    actions.do_add_contribution(meeting, kind="annahme", function=w["functions"]["ordnung"], text="Lage bleibt.", acting_user=w["users"]["s2"])
    with pytest.raises(PermissionDenied):
        actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["ordnung"], text="x", acting_user=w["users"]["outsider"])


def test_a_decision_becomes_a_task_with_its_etb_entries():
    w = make_staff()
    staff = w["staff"]
    Task.objects.create(staff=staff, number=1, title="Älterer Auftrag")
    meeting = actions.do_start_meeting(staff, acting_user=w["users"]["leitung"])
    due = timezone.now() + timedelta(hours=6)
    decision = actions.do_record_decision(meeting, text="Schulen schließen ab Montag", owner_function=w["functions"]["ordnung"],
                                          due_at=due, acting_user=w["users"]["leitung"], client_key="d1")
    again = actions.do_record_decision(meeting, text="Schulen schließen ab Montag", owner_function=w["functions"]["ordnung"],
                                       due_at=due, acting_user=w["users"]["leitung"], client_key="d1")
    assert again.pk == decision.pk
    task = decision.task
    assert (task.number, task.title, task.owner_function, task.due_at, task.created_by) == (
        2, "Schulen schließen ab Montag", w["functions"]["ordnung"], due, w["users"]["leitung"])
    entries = list(LogEntry.objects.filter(staff=staff).order_by("number"))
    assert [e.category for e in entries] == [LogCategory.ENTSCHEIDUNG, LogCategory.AUFTRAG]
    assert "Schulen schließen" in entries[0].text and "Auftrag Nr. 2 an Ordnungsamt" in entries[1].text
    # a decision without an owner is recorded without a task
    plain = actions.do_record_decision(meeting, text="Pressekonferenz um 14 Uhr", acting_user=w["users"]["leitung"])
    assert plain.task is None and Task.objects.filter(staff=staff).count() == 2
    with pytest.raises(ValidationError):
        actions.do_record_decision(meeting, text="x", due_at=timezone.now() + timedelta(days=500), acting_user=w["users"]["leitung"])
    with pytest.raises(ValidationError):
        actions.do_record_decision(meeting, text="x", owner_function=make_staff()["functions"]["ordnung"], acting_user=w["users"]["leitung"])


def test_a_restart_loses_nothing_and_the_page_resumes_at_the_current_item(client):
    w = make_staff()
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["s2"])
    actions.do_advance_item(meeting, from_position=0, acting_user=w["users"]["s2"])
    # the same click twice (or two chairs at once) advances once
    actions.do_advance_item(meeting, from_position=0, acting_user=w["users"]["s2"])
    actions.do_add_contribution(meeting, kind="frage", function=w["functions"]["gesundheit"], text="Reichen die Tests?",
                                acting_user=w["users"]["gesundheit"])
    reloaded = Meeting.objects.get(pk=meeting.pk)  # nothing kept in memory: a fresh process sees the same
    assert reloaded.current_position == 1
    assert reloaded.items.get(position=0).ended_at is not None
    client.force_login(w["users"]["gesundheit"])
    page = client.get(f"/stab/lagebesprechung/{meeting.pk}/").content.decode()
    assert "Jetzt: 2. Gesundheitsamt" in page and "Reichen die Tests?" in page
    for _ in range(3):
        actions.do_advance_item(reloaded, from_position=Meeting.objects.get(pk=meeting.pk).current_position, acting_user=w["users"]["s2"])
    with pytest.raises(ValidationError, match="letzte Tagesordnungspunkt"):
        actions.do_advance_item(reloaded, from_position=4, acting_user=w["users"]["s2"])


def test_closing_announces_the_next_meeting_and_writes_the_protocol_into_the_etb():
    w = make_staff(rhythm=12)
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["leitung"])
    actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["s2"], text="Inzidenz steigt.", acting_user=w["users"]["s2"])
    actions.do_record_decision(meeting, text="Impfzentrum vorbereiten", owner_function=w["functions"]["gesundheit"],
                               acting_user=w["users"]["leitung"])
    before = timezone.now()
    with pytest.raises(PermissionDenied):
        actions.do_close_meeting(meeting, acting_user=w["users"]["gesundheit"])
    with pytest.raises(ValidationError):
        actions.do_close_meeting(meeting, next_meeting_at=before - timedelta(hours=1), acting_user=w["users"]["leitung"])
    closed = actions.do_close_meeting(meeting, acting_user=w["users"]["leitung"])
    assert closed.status == MeetingStatus.GESCHLOSSEN
    staff = Staff.objects.get(pk=w["staff"].pk)
    assert before + timedelta(hours=12) <= staff.next_meeting_at <= timezone.now() + timedelta(hours=12)
    assert bytes(closed.protocol_pdf).startswith(b"%PDF")
    names = zipfile.ZipFile(io.BytesIO(bytes(closed.protocol_docx))).namelist()
    assert "word/document.xml" in names
    entry = LogEntry.objects.get(pk=closed.protocol_entry_id)
    assert entry.category == LogCategory.ANLAGE and closed.protocol_sha256 in entry.text
    with pytest.raises(ValidationError, match="bereits geschlossen"):
        actions.do_add_contribution(closed, kind="fakt", function=w["functions"]["s2"], text="x", acting_user=w["users"]["s2"])
    text = protocol_document(closed).plain_text()
    assert "Inzidenz steigt." in text and "Impfzentrum vorbereiten" in text and "Auftrag Nr. 1" in text
    # an explicit next meeting time
    second = actions.do_start_meeting(staff, acting_user=w["users"]["leitung"])
    at = timezone.now() + timedelta(hours=3)
    actions.do_close_meeting(second, next_meeting_at=at, acting_user=w["users"]["leitung"])
    assert Staff.objects.get(pk=staff.pk).next_meeting_at == at


def test_an_exercise_protocol_says_uebung():
    w = make_staff(exercise=True)
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["leitung"])
    closed = actions.do_close_meeting(meeting, acting_user=w["users"]["leitung"])
    document = protocol_document(closed)
    assert document.title.startswith("ÜBUNG") and "ÜBUNG" in document.plain_text()


def test_a_contribution_arriving_while_the_protocol_renders_is_in_the_protocol(monkeypatch):
    w = make_staff()
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["leitung"])
    real_render = actions.render_pdf
    calls = []

    def render_while_someone_writes(document):
        calls.append(document)
        if len(calls) == 1:
            actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["s2"], text="Späte Meldung: Klinik voll.",
                                        acting_user=w["users"]["s2"])
        return real_render(document)

    monkeypatch.setattr(actions, "render_pdf", render_while_someone_writes)
    closed = actions.do_close_meeting(meeting, acting_user=w["users"]["leitung"])
    assert len(calls) == 2
    assert "Späte Meldung: Klinik voll." not in calls[0].plain_text()
    assert "Späte Meldung: Klinik voll." in calls[1].plain_text()
    assert closed.status == MeetingStatus.GESCHLOSSEN and closed.contributions.count() == 1


def test_hostile_text_is_cleaned_or_refused():
    w = make_staff()
    meeting = actions.do_start_meeting(w["staff"], acting_user=w["users"]["leitung"])
    c = actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["s2"], text="  a\x00b  ", acting_user=w["users"]["s2"])
    assert c.text == "ab"
    with pytest.raises(ValidationError, match="Bitte einen Text eingeben"):
        actions.do_add_contribution(meeting, kind="fakt", function=w["functions"]["s2"], text=" \x00 ", acting_user=w["users"]["s2"])
    with pytest.raises(ValidationError):
        actions.do_start_meeting(w["staff"], lage_minutes=0, acting_user=w["users"]["leitung"])
    with pytest.raises(ValidationError):
        actions.do_create_situation_report(w["staff"], title="x" * 201, acting_user=w["users"]["s2"])
