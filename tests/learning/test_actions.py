"""Action plans: validation, statuses with reasons, leadership overview, exports and reminders."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.knowledge.models import LessonStatus
from krisenwissen.learning import actions
from krisenwissen.learning.models import Action, ActionStatus, ReminderLog
from krisenwissen.learning.tasks import send_action_reminders, send_reminders_now
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def team(city_a, city_b):
    return {
        "red": f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="red-a", user__email="red@example.org").user,
        "mit": f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE, user__username="mit-a", user__email="mit@example.org").user,
        "les": f.MembershipFactory(municipality=city_a, role=Role.LESER, user__username="les-a").user,
        "other": f.MembershipFactory(municipality=city_b, role=Role.REDAKTION, user__username="red-b").user,
    }


def make(city, user, **fields):
    data = {"title": "Personalreserve aufbauen", "description": "Liste der Unterstützungskräfte", "owner": user,
            "due": TODAY + dt.timedelta(days=30)}
    data.update(fields)
    return actions.do_create_action(municipality=city, fields=data, acting_user=user)


class TestCreate:
    def test_owner_must_be_member(self, city_a, team):
        with pytest.raises(ValidationError) as exc:
            make(city_a, team["mit"], owner=team["other"])
        assert "nicht Mitglied" in exc.value.message_dict["owner"][0]
        assert not Action.objects.exists()

    def test_due_date_in_the_past_refused(self, city_a, team):
        with pytest.raises(ValidationError) as exc:
            make(city_a, team["mit"], due=TODAY - dt.timedelta(days=1))
        assert "Vergangenheit" in exc.value.message_dict["due"][0]

    def test_start_after_due_refused(self, city_a, team):
        with pytest.raises(ValidationError) as exc:
            make(city_a, team["mit"], start=TODAY + dt.timedelta(days=40))
        assert "start" in exc.value.message_dict

    def test_leser_may_not_create(self, city_a, team):
        with pytest.raises(PermissionDenied):
            make(city_a, team["les"])

    def test_all_fields_and_audit(self, city_a, team):
        lesson = f.LessonFactory(municipality=city_a)
        action = actions.do_create_action(municipality=city_a, lesson=lesson, acting_user=team["mit"], fields={
            "title": "T", "description": "D", "owner": team["mit"], "owner_role": "Leitung Krisenstab",
            "start": TODAY, "due": TODAY + dt.timedelta(days=10), "horizon": "sofort", "impact": 3, "feasibility": 2,
            "resources": "Zwei Personen", "success_indicator": "Übung bestanden"})
        assert action.priority == 6 and action.lesson == lesson
        assert AuditEntry.objects.filter(action="learning.action_created", object_id=str(action.pk)).exists()

    def test_form_shows_owner_error(self, client, city_a, team):
        client.force_login(team["mit"])
        response = client.post("/lernen/massnahmen/neu/", {
            "municipality": city_a.pk, "title": "T", "description": "D", "owner": team["mit"].pk,
            "due": (TODAY - dt.timedelta(days=2)).isoformat(), "horizon": "sofort", "impact": 2, "feasibility": 2})
        assert response.status_code == 200
        assert "liegt in der Vergangenheit" in response.content.decode()


class TestStatus:
    def test_blocked_needs_reason_and_note_is_kept(self, city_a, team):
        action = make(city_a, team["red"])
        actions.do_change_action_status(action, "beschlossen", acting_user=team["red"])
        with pytest.raises(ValidationError):
            actions.do_change_action_status(action, "blockiert", acting_user=team["mit"])
        actions.do_change_action_status(action, "blockiert", reason="Kein Budget", acting_user=team["mit"])
        action.refresh_from_db()
        assert action.status == "blockiert" and action.status_reason == "Kein Budget"
        assert action.notes.get().text == "blockiert: Kein Budget"

    def test_deciding_needs_redaktion(self, city_a, team):
        action = make(city_a, team["mit"])
        with pytest.raises(PermissionDenied):
            actions.do_change_action_status(action, "beschlossen", acting_user=team["mit"])

    def test_decisions_offered_and_refused_in_german(self, client, city_a, team):
        """Mitwirkende are not offered deciding/dropping; posting it anyway gives a German message, not a 403 page."""
        action = make(city_a, team["mit"])
        client.force_login(team["mit"])
        page = client.get(action.get_absolute_url()).content.decode()
        assert 'value="beschlossen"' not in page and 'value="nicht_umgesetzt"' not in page
        response = client.post(f"/lernen/massnahmen/{action.pk}/status/", {"status": "beschlossen"}, follow=True)
        assert response.status_code == 200
        assert "Über Maßnahmen entscheidet die Redaktion der Kommune." in response.content.decode()
        action.refresh_from_db()
        assert action.status == ActionStatus.VORGESCHLAGEN
        client.force_login(team["red"])
        assert 'value="beschlossen"' in client.get(action.get_absolute_url()).content.decode()

    def test_invalid_transition(self, city_a, team):
        action = make(city_a, team["red"])
        with pytest.raises(ValidationError, match="kann nicht"):
            actions.do_change_action_status(action, "erledigt", acting_user=team["red"])

    def test_deciding_starts_lesson_implementation(self, city_a, team):
        lesson = f.LessonFactory(municipality=city_a, status=LessonStatus.BESTAETIGT)
        action = actions.do_create_action(municipality=city_a, lesson=lesson, acting_user=team["red"],
                                          fields={"title": "T", "description": "D", "owner": team["mit"], "due": TODAY + dt.timedelta(days=3)})
        actions.do_change_action_status(action, "beschlossen", acting_user=team["red"])
        lesson.refresh_from_db()
        assert lesson.status == LessonStatus.IN_UMSETZUNG
        actions.do_change_action_status(action, "erledigt", acting_user=team["mit"])
        action.refresh_from_db()
        assert action.completed_on == TODAY and not action.is_open


def _overdue(city, user, days=5, **fields):
    action = make(city, user, **fields)
    Action.objects.filter(pk=action.pk).update(due=TODAY - dt.timedelta(days=days))  # time passes
    action.refresh_from_db()
    return action


class TestOverview:
    def test_open_overdue_blocked_and_lessons(self, client, city_a, team):
        theme = f.CodeFactory(scheme__key="themen", key="personal", name="Personal")
        dept = f.DepartmentFactory(municipality=city_a, name="Personalamt")
        late = _overdue(city_a, team["red"], title="Überfällige Maßnahme", department=dept)
        late.codes.add(theme)
        blocked = make(city_a, team["red"], title="Festgefahrene Sache")
        actions.do_change_action_status(blocked, "beschlossen", acting_user=team["red"])
        actions.do_change_action_status(blocked, "blockiert", reason="Freistellung ungeklärt", acting_user=team["red"])
        f.LessonFactory(municipality=city_a, status=LessonStatus.IN_UMSETZUNG, title="Wartet auf Überprüfung")
        f.LessonFactory(municipality=city_a, status=LessonStatus.VERANKERT, title="Wiederholung fällig", recheck_due=TODAY + dt.timedelta(days=5))
        client.force_login(team["les"])
        body = client.get(f"/lernen/uebersicht/{city_a.pk}/").content.decode()
        assert "Überfällig (1)" in body and "Blockiert (1)" in body and "Freistellung ungeklärt" in body
        assert "Wartet auf Überprüfung" in body and "Wiederholung fällig" in body
        filtered = client.get(f"/lernen/uebersicht/{city_a.pk}/?thema={theme.pk}").content.decode()
        assert "Überfällige Maßnahme" in filtered and "Festgefahrene Sache" not in filtered
        by_dept = client.get(f"/lernen/uebersicht/{city_a.pk}/?dienststelle={dept.pk}").content.decode()
        assert "Überfällige Maßnahme" in by_dept and "Festgefahrene Sache" not in by_dept

    def test_exports(self, client, city_a, team):
        _overdue(city_a, team["red"], title="=HYPERLINK(1)")
        client.force_login(team["red"])
        csv = b"".join(client.get(f"/lernen/uebersicht/{city_a.pk}/?format=csv").streaming_content).decode()
        assert "'=HYPERLINK(1)" in csv and "Fällig" in csv
        pdf = client.get(f"/lernen/uebersicht/{city_a.pk}/?format=pdf")
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    def test_other_city_is_not_found(self, client, city_a, team):
        client.force_login(team["other"])
        assert client.get(f"/lernen/uebersicht/{city_a.pk}/").status_code == 404


class TestReminders:
    def test_due_soon_and_overdue_once(self, city_a, team, django_capture_on_commit_callbacks):
        soon = make(city_a, team["red"], owner=team["mit"], due=TODAY + dt.timedelta(days=3), title="Bald fällig")
        late = _overdue(city_a, team["red"], owner=team["mit"], title="Überfällig")
        make(city_a, team["red"], owner=team["mit"], due=TODAY + dt.timedelta(days=60), title="Später")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            counts = send_reminders_now()
        assert counts == {"bald_faellig": 1, "ueberfaellig": 1, "empfaenger": 2, "wiederholungspruefung": 0}
        subjects = sorted(m.subject for m in mail.outbox)
        assert subjects == ["Maßnahme bald fällig: Bald fällig", "Maßnahme überfällig: Überfällig"]
        assert all(m.to == ["mit@example.org"] for m in mail.outbox)
        assert Notification.objects.filter(recipient=team["mit"]).count() == 2
        assert send_reminders_now() == {"bald_faellig": 0, "ueberfaellig": 0, "empfaenger": 0, "wiederholungspruefung": 0}
        assert ReminderLog.objects.count() == 2
        # The soon-due action becomes overdue later: a second, different reminder.
        later = send_reminders_now(TODAY + dt.timedelta(days=5))
        assert later["ueberfaellig"] == 1
        assert {soon.pk, late.pk} == set(ReminderLog.objects.values_list("action_id", flat=True))

    def test_owner_who_left_the_city_is_not_reminded(self, city_a, team, django_capture_on_commit_callbacks):
        """Someone who is no longer a member must not be told about the city's internal actions."""
        from krisenwissen.accounts.models import Membership

        _overdue(city_a, team["red"], owner=team["mit"], title="Interne Maßnahme")
        Membership.objects.filter(user=team["mit"], municipality=city_a).delete()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders_now()["ueberfaellig"] == 1
        assert not Notification.objects.filter(recipient=team["mit"]).exists()
        assert [m.to for m in mail.outbox] == [["red@example.org"]]

    def test_done_actions_are_not_reminded(self, city_a, team):
        action = _overdue(city_a, team["red"])
        Action.objects.filter(pk=action.pk).update(status=ActionStatus.ERLEDIGT)
        assert send_reminders_now()["ueberfaellig"] == 0

    def test_task_and_command(self, city_a, team, django_capture_on_commit_callbacks):
        _overdue(city_a, team["red"], owner=team["mit"])
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = send_action_reminders.enqueue()
        assert result.return_value["ueberfaellig"] == 1 and len(mail.outbox) == 1
        out = StringIO()
        call_command("send_reminders", "--now", "--date", (TODAY + dt.timedelta(days=1)).isoformat(), stdout=out)
        assert "Erinnerungen versendet: 0 bald fällig, 0 überfällig" in out.getvalue()
        out = StringIO()
        call_command("send_reminders", stdout=out)
        assert "eingereiht" in out.getvalue()

    def test_recheck_of_embedded_lesson_is_reminded_once(self, city_a, team):
        lesson = f.LessonFactory(municipality=city_a, status=LessonStatus.VERANKERT, recheck_due=TODAY + dt.timedelta(days=2))
        f.LessonFactory(municipality=city_a, status=LessonStatus.VERANKERT, recheck_due=TODAY + dt.timedelta(days=200))
        assert send_reminders_now()["wiederholungspruefung"] == 1
        assert send_reminders_now()["wiederholungspruefung"] == 0
        note = Notification.objects.get(subject=f"Wiederholungsprüfung fällig: {lesson.title}")
        assert note.recipient == team["red"]

    def test_command_rejects_bad_date(self):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="Ungültiges Datum"):
            call_command("send_reminders", "--now", "--date", "morgen")


def test_action_page_shows_history(client, city_a, team):
    action = make(city_a, team["red"])
    actions.do_change_action_status(action, "beschlossen", acting_user=team["red"])
    client.force_login(team["les"])
    body = client.get(action.get_absolute_url()).content.decode()
    assert "Verlauf (2)" in body and "Status geändert → beschlossen" in body
