"""The learning loop's declared permissions, transition table and audit events (issue 10)."""

import datetime as dt
from importlib import import_module

import pytest
import rules
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.core.audit import event_label
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM
from krisenwissen.knowledge.lifecycles import LESSON
from krisenwissen.knowledge.models import LessonStatus, Visibility
from krisenwissen.learning import actions
from krisenwissen.learning.events import LearningEvent
from krisenwissen.learning.lifecycles import ACTION_STATUS
from krisenwissen.learning.models import Action, ActionStatus, TrainingModule
from krisenwissen.learning.tasks import send_reminders_now
from tests import factories as f

TODAY = timezone.localdate()

PERMISSIONS = (
    "learning.view_actions", "learning.view_overview", "learning.add_action", "learning.change_action",
    "learning.decide_action", "learning.review_observations", "learning.derive_lesson", "learning.add_crisis",
    "learning.view_assessments", "learning.score_assessment", "learning.load_framework", "learning.answer_module",
    "learning.edit_training_module", "learning.edit_exercise", "learning.run_exercise",
)


@pytest.fixture
def team(city_a, city_b):
    return {
        "red": f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="red-a").user,
        "mit": f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE, user__username="mit-a").user,
        "les": f.MembershipFactory(municipality=city_a, role=Role.LESER, user__username="les-a").user,
        "other": f.MembershipFactory(municipality=city_b, role=Role.REDAKTION, user__username="red-b").user,
    }


def make(city, user, **fields):
    data = {"title": "Personalreserve aufbauen", "description": "Liste", "owner": user, "due": TODAY + dt.timedelta(days=30)}
    data.update(fields)
    return actions.do_create_action(municipality=city, fields=data, acting_user=user)


def test_permissions_are_declared():
    for name in PERMISSIONS:
        assert rules.perm_exists(name), name
    for transition in ACTION_STATUS.transitions:
        assert rules.perm_exists(transition.permission)


@pytest.mark.django_db
def test_permissions_with_and_without_object(city_a, city_b, team):
    red, mit, les, other = team["red"], team["mit"], team["les"], team["other"]
    assert mit.has_perm("learning.add_action") and mit.has_perm("learning.add_action", city_a)
    assert not mit.has_perm("learning.add_action", city_b)
    assert not les.has_perm("learning.add_action") and les.has_perm("learning.view_actions", city_a)
    assert not other.has_perm("learning.view_actions", city_a) and other.has_perm("learning.view_actions")
    assert red.has_perm("learning.edit_exercise") and not mit.has_perm("learning.edit_exercise")
    assert not AnonymousUser().has_perm("learning.view_actions")


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(ActionStatus.values))
def test_status_choices_are_the_available_steps(client, city_a, team, status):
    action = make(city_a, team["red"])
    Action.objects.filter(pk=action.pk).update(status=status)
    action.refresh_from_db()
    decisions = {ActionStatus.BESCHLOSSEN, ActionStatus.NICHT_UMGESETZT}
    targets = {t.target for t in ACTION_STATUS.from_state(status)}
    for who, expected in (("red", targets), ("mit", targets - decisions)):
        client.force_login(team[who])
        page = client.get(action.get_absolute_url()).content.decode()
        for value in ActionStatus.values:
            assert (f'<option value="{value}"' in page) == (value in expected), (who, status, value)
    client.force_login(team["les"])
    assert "Status speichern" not in client.get(action.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_leser_may_not_change_status(city_a, team):
    action = make(city_a, team["red"])
    with pytest.raises(PermissionDenied):
        actions.do_change_action_status(action, "beschlossen", acting_user=team["les"])
    with pytest.raises(PermissionDenied):
        actions.do_add_action_note(action, text="Vermerk", acting_user=team["les"])


@pytest.mark.django_db
def test_system_actor_changes_status_without_author(city_a, team):
    action = make(city_a, team["red"])
    actions.do_change_action_status(action, "nicht_umgesetzt", reason="Entfällt", acting_user=SYSTEM)
    action.refresh_from_db()
    assert action.status == ActionStatus.NICHT_UMGESETZT
    note = action.notes.get()
    assert note.author is None and note.text == "nicht umgesetzt: Entfällt"
    row = AuditEntry.objects.filter(action=LearningEvent.ACTION_STATUS_CHANGED, object_id=str(action.pk)).get()
    assert row.actor is None and row.details["system"] is True and row.details["grund"] == "Entfällt"


@pytest.mark.django_db
def test_reminders_are_audited_as_system(city_a, team):
    action = make(city_a, team["red"], owner=team["mit"])
    Action.objects.filter(pk=action.pk).update(due=TODAY - dt.timedelta(days=2))
    assert send_reminders_now()["ueberfaellig"] == 1
    row = AuditEntry.objects.get(action=LearningEvent.ACTION_REMINDER_SENT)
    assert row.actor is None and row.details["system"] is True


@pytest.mark.django_db
def test_answering_a_module_needs_a_sign_in(city_a):
    module = TrainingModule.objects.create(municipality=city_a, title="Modul", text="Text", visibility=Visibility.OEFFENTLICH)
    with pytest.raises(PermissionDenied, match="Bitte melden Sie sich an"):
        actions.do_answer_module(module, answers={}, acting_user=AnonymousUser())


@pytest.mark.django_db
def test_lesson_step_pages_follow_the_table(client, city_a, team):
    lesson = f.LessonFactory(municipality=city_a, status=LessonStatus.ERKANNT)
    client.force_login(team["mit"])
    assert client.get(f"/lernen/erkenntnisse/{lesson.pk}/status/endorse/").status_code == 403
    body = client.get(lesson.get_absolute_url()).content.decode()
    assert "/status/endorse/" not in body
    client.force_login(team["red"])
    body = client.get(lesson.get_absolute_url()).content.decode()
    for transition in LESSON.available(team["red"], lesson):
        assert f"/lernen/erkenntnisse/{lesson.pk}/status/{transition.name}/" in body
    assert client.get(f"/lernen/erkenntnisse/{lesson.pk}/status/endorse/").status_code == 200
    assert client.get(f"/lernen/erkenntnisse/{lesson.pk}/status/bestaetigen/").status_code == 404


def test_every_learning_event_has_a_german_label():
    assert all(key.startswith("learning.") for key in LearningEvent.values)
    assert str(event_label(LearningEvent.ACTION_CREATED)) == "Maßnahme angelegt"
    assert str(event_label("learning.exercise_finished")) == "Übung beendet"


@pytest.mark.django_db
def test_audit_key_migration_renames_both_ways():
    migration = import_module("krisenwissen.learning.migrations.0003_audit_event_keys")
    for old in migration.RENAMES:
        AuditEntry.objects.create(action=old)
    migration.Migration.operations[0].code(django_apps, None)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == set(migration.RENAMES.values())
    assert set(migration.RENAMES.values()) <= set(LearningEvent.values)
    migration.Migration.operations[0].reverse_code(django_apps, None)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == set(migration.RENAMES)
