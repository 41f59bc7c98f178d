"""Meldungen and Aufträge: the four-part flow, permissions, ETB entries, bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krisenwissen.core.policy import PermissionDenied
from krisenwissen.stab import msg_actions as actions
from krisenwissen.stab import msg_selectors as selectors
from krisenwissen.stab.models import LogCategory, LogEntry, Message, MessageStatus, Task, TaskStatus
from tests.factories import UserFactory

from .staffs import make_staff

pytestmark = pytest.mark.django_db


def _log(staff):
    return list(LogEntry.objects.filter(staff=staff).order_by("number").values_list("category", "text"))


def _blitz(s, **kw):
    data = {"direction": "eingang", "channel": "telefon", "priority": "blitz", "sender": "Leitstelle Feuerwehr",
            "recipient": "Krisenstab", "content": "Ausfall der Notstromversorgung im Klinikum Nord."}
    data.update(kw)
    return actions.do_record_message(s["staff"], acting_user=s["users"]["ordnung"], **data)


def test_blitz_message_flows_through_the_four_parts_with_etb_entries():
    s = make_staff()
    f, u = s["functions"], s["users"]
    message = _blitz(s)
    assert message.number == 1 and message.status == MessageStatus.AUFGENOMMEN
    # Routing: the Koordinierungsgruppe is the default Sichter of a Verwaltungsstab.
    assert selectors.sichter_function(s["staff"]) == f["koordinierung"]
    with pytest.raises(PermissionDenied):
        actions.do_route_message(message, functions=[f["gesundheit"]], acting_user=u["ordnung"])
    actions.do_route_message(message, functions=[f["gesundheit"], f["ordnung"]], sichter_note="Sofort an Gesundheit", acting_user=u["koordinierung"])
    message.refresh_from_db()
    assert message.status == MessageStatus.VERTEILT and message.routed_by == u["koordinierung"]
    # Acknowledgement: only the receiving functions' members, each once.
    with pytest.raises(PermissionDenied):
        actions.do_acknowledge_message(message, acting_user=u["s1"])
    actions.do_acknowledge_message(message, acting_user=u["gesundheit"])
    with pytest.raises(ValidationError, match="bereits zur Kenntnis"):
        actions.do_acknowledge_message(message, acting_user=u["gesundheit"])
    message.refresh_from_db()
    assert message.status == MessageStatus.VERTEILT
    actions.do_acknowledge_message(message, acting_user=u["ordnung"])
    message.refresh_from_db()
    assert message.status == MessageStatus.ERLEDIGT and message.done_at
    acks = list(message.acknowledgements.values_list("function__code", "user__username"))
    assert acks == [("gesundheit", u["gesundheit"].username), ("ordnung", u["ordnung"].username)]
    log = _log(s["staff"])
    assert [c for c, _t in log] == [LogCategory.MELDUNG_EIN] * 5
    assert "Meldung Nr. 1 (Blitz, Eingang per Telefon" in log[0][1]
    assert "verteilt an: Gesundheitsamt, Ordnungsamt. Sichtervermerk: Sofort an Gesundheit" in log[1][1]
    assert "zur Kenntnis genommen: Gesundheitsamt" in log[2][1]
    assert log[4][1] == "Meldung Nr. 1 erledigt."


def test_outgoing_message_is_logged_as_meldung_aus_and_leitung_closes_it():
    s = make_staff()
    message = _blitz(s, direction="ausgang", priority="normal", sender="Krisenstab", recipient="Bezirksregierung")
    actions.do_complete_message(message, acting_user=s["users"]["leitung"])
    message.refresh_from_db()
    assert message.status == MessageStatus.ERLEDIGT
    assert [c for c, _t in _log(s["staff"])] == [LogCategory.MELDUNG_AUS, LogCategory.MELDUNG_AUS]


def test_sichter_is_a_per_staff_setting():
    s = make_staff()
    f, u = s["functions"], s["users"]
    with pytest.raises(PermissionDenied):
        actions.do_set_sichter_function(s["staff"], function=f["gesundheit"], acting_user=u["ordnung"])
    actions.do_set_sichter_function(s["staff"], function=f["ordnung"], acting_user=u["leitung"])
    staff = type(s["staff"]).objects.get(pk=s["staff"].pk)
    assert selectors.sichter_function(staff) == f["ordnung"]
    message = actions.do_record_message(staff, direction="eingang", channel="funk", priority="sofort", sender="A", recipient="B",
                                        content="x", acting_user=u["s1"])
    actions.do_route_message(message, functions=[f["s1"]], acting_user=u["ordnung"])
    with pytest.raises(PermissionDenied):
        actions.do_route_message(message, functions=[f["s1"]], acting_user=u["koordinierung"])


def test_message_bad_input_is_refused_in_german_and_nothing_is_written():
    s = make_staff()
    with pytest.raises(ValidationError) as exc:
        actions.do_record_message(s["staff"], direction="eingang", channel="brieftaube", priority="eilig", sender=" ", recipient="",
                                  content="", acting_user=s["users"]["ordnung"])
    errors = exc.value.message_dict
    assert set(errors) == {"channel", "priority", "sender", "recipient", "content"}
    assert errors["sender"] == ["Bitte Absender/in angeben."]
    with pytest.raises(ValidationError, match="in der Zukunft"):
        _blitz(s, transmitted_at=timezone.now() + datetime.timedelta(hours=2))
    assert Message.objects.count() == 0 and LogEntry.objects.count() == 0


def test_double_submit_of_a_message_stores_it_once():
    s = make_staff()
    first = _blitz(s, client_key="abc123")
    second = _blitz(s, client_key="abc123")
    assert first.pk == second.pk and Message.objects.count() == 1 and LogEntry.objects.count() == 1


def test_outsider_and_deactivated_staff_cannot_write():
    s = make_staff()
    with pytest.raises(PermissionDenied):
        actions.do_record_message(s["staff"], direction="eingang", channel="funk", priority="sofort", sender="A", recipient="B",
                                  content="x", acting_user=UserFactory())
    s["staff"].status = "deaktiviert"
    s["staff"].save()
    with pytest.raises(PermissionDenied):
        _blitz(s)


def test_task_lifecycle_with_required_feedback_and_etb_entries():
    s = make_staff()
    f, u = s["functions"], s["users"]
    due = timezone.now() + datetime.timedelta(hours=4)
    task = actions.do_create_task(s["staff"], title="Schutzausrüstung für Pflegeheime beschaffen", owner_function=f["gesundheit"],
                                  due_at=due, description="", acting_user=u["leitung"])
    assert task.number == 1 and task.status == TaskStatus.OFFEN
    with pytest.raises(PermissionDenied):
        actions.do_start_task(task, acting_user=u["s1"])
    actions.do_start_task(task, acting_user=u["gesundheit"])
    with pytest.raises(ValidationError, match="Rückmeldung"):
        actions.do_complete_task(task, feedback="  ", acting_user=u["gesundheit"])
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_ARBEIT
    actions.do_complete_task(task, feedback="5.000 Masken ausgeliefert", acting_user=u["gesundheit"])
    task.refresh_from_db()
    assert task.status == TaskStatus.ERLEDIGT and task.done_by == u["gesundheit"] and task.feedback == "5.000 Masken ausgeliefert"
    log = _log(s["staff"])
    assert [c for c, _t in log] == [LogCategory.AUFTRAG, LogCategory.AUFTRAG]
    assert log[0][1].startswith("Auftrag Nr. 1 an Gesundheitsamt: Schutzausrüstung")
    assert "Rückmeldung: 5.000 Masken ausgeliefert" in log[1][1]
    with pytest.raises(ValidationError, match="nicht möglich"):
        actions.do_abort_task(task, feedback="zu spät", acting_user=u["leitung"])


def test_task_abort_only_leitung_or_giver():
    s = make_staff()
    f, u = s["functions"], s["users"]
    task = actions.do_create_task(s["staff"], title="Lagekarte", owner_function=f["ordnung"], due_at=None, acting_user=u["koordinierung"])
    with pytest.raises(PermissionDenied):
        actions.do_abort_task(task, feedback="x", acting_user=u["ordnung"])
    actions.do_abort_task(task, feedback="Überholt", acting_user=u["koordinierung"])
    assert "abgebrochen" in _log(s["staff"])[-1][1]


def test_task_bad_input_due_in_the_past_and_double_submit():
    s = make_staff()
    f, u = s["functions"], s["users"]
    with pytest.raises(ValidationError) as exc:
        actions.do_create_task(s["staff"], title="", owner_function=None, due_at=timezone.now() - datetime.timedelta(hours=1),
                               description="", acting_user=u["leitung"])
    assert set(exc.value.message_dict) == {"title", "owner_function", "due_at"}
    assert "Vergangenheit" in exc.value.message_dict["due_at"][0]
    other = make_staff(prefix="q")
    with pytest.raises(ValidationError, match="dieses Stabes"):
        actions.do_create_task(s["staff"], title="x", owner_function=other["functions"]["s1"], due_at=None, acting_user=u["leitung"])
    assert Task.objects.count() == 0 and LogEntry.objects.count() == 0
    one = actions.do_create_task(s["staff"], title="x", owner_function=f["s1"], due_at=None, acting_user=u["leitung"], client_key="k")
    two = actions.do_create_task(s["staff"], title="x", owner_function=f["s1"], due_at=None, acting_user=u["leitung"], client_key="k")
    assert one.pk == two.pk and Task.objects.count() == 1


def test_overdue_tasks_and_blitz_first():
    s = make_staff()
    f, u = s["functions"], s["users"]
    task = actions.do_create_task(s["staff"], title="Bericht", owner_function=f["s1"], due_at=timezone.now() + datetime.timedelta(minutes=30),
                                  acting_user=u["leitung"])
    later = timezone.now() + datetime.timedelta(hours=1)
    assert [t.pk for t in selectors.task_queryset(s["staff"], user=u["s1"], overdue=True, now=later)] == [task.pk]
    assert task.is_overdue(later) and not task.is_overdue()
    _blitz(s, priority="normal")
    blitz = _blitz(s)
    _blitz(s, priority="sofort")
    rows = selectors.message_rows(s["staff"], user=u["s1"])
    assert rows[0].message.pk == blitz.pk and [r.message.priority for r in rows] == ["blitz", "sofort", "normal"]
    summary = selectors.panel_summary(s["staff"], user=u["s1"], now=later)
    assert summary.blitz_open == 1 and summary.awaiting_sichtung == 3 and [t.pk for t in summary.overdue_tasks] == [task.pk]
    assert selectors.panel_summary(s["staff"], user=UserFactory()) is None


def test_superuser_without_function_cannot_take_note():
    s = make_staff()
    message = _blitz(s)
    actions.do_route_message(message, functions=[s["functions"]["gesundheit"]], acting_user=s["users"]["leitung"])
    with pytest.raises(ValidationError, match="keine Funktion auf dem Verteiler"):
        actions.do_acknowledge_message(message, acting_user=UserFactory(is_superuser=True))


def test_demo_loads_messages_with_one_blitz_and_tasks_once():
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.stab import msg_demo

    s = make_staff()
    staff = s["staff"]
    staff.activated_at = datetime.datetime(2020, 3, 13, 8, 0, tzinfo=datetime.UTC)
    staff.save()
    assert msg_demo.load(staff, acting_user=SYSTEM) == {"messages": 5, "tasks": 5}
    assert msg_demo.load(staff, acting_user=SYSTEM) == {"messages": 0, "tasks": 0}
    messages = Message.objects.filter(staff=staff)
    assert messages.filter(priority="blitz").count() == 1
    blitz = messages.get(priority="blitz")
    assert blitz.status == MessageStatus.ERLEDIGT and blitz.acknowledgements.count() == 3
    assert blitz.recorded_at.year == 2020 and blitz.acknowledgements.first().at.year == 2020
    assert set(Task.objects.filter(staff=staff).values_list("status", flat=True)) == {"erledigt", "in_arbeit", "offen"}
    assert selectors.task_queryset(staff, user=SYSTEM, overdue=True).count() == 3
    entries = LogEntry.objects.filter(staff=staff)
    assert entries.count() > 15 and all(e.event_at.year == 2020 for e in entries)


def test_blitz_notifies_the_sichter_and_the_receiving_functions_with_the_exercise_mark():
    from krisenwissen.core.models import Notification

    s = make_staff(exercise=True)
    f, u = s["functions"], s["users"]
    message = _blitz(s)
    to_sichter = Notification.objects.get(recipient=u["koordinierung"])
    assert to_sichter.subject.startswith("Blitz: Meldung Nr. 1 zur Sichtung") and "ÜBUNG" in to_sichter.subject
    assert not Notification.objects.filter(recipient=u["gesundheit"]).exists()
    actions.do_route_message(message, functions=[f["gesundheit"]], acting_user=u["koordinierung"])
    routed = Notification.objects.get(recipient=u["gesundheit"])
    assert "an Ihre Funktion" in routed.subject and "ÜBUNG" in routed.subject and routed.url.endswith(f"/meldungen/{message.pk}/")
    _blitz(s, priority="normal")
    assert Notification.objects.count() == 2  # a normal message waits in the list, nobody is alerted
