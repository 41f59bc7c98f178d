"""The workshops' policy layer: declared permissions (facilitators and participants), the
status lifecycle, audit event keys and their data migration."""

import ast
import importlib
import inspect
import uuid
from pathlib import Path

import pytest
import rules
from django.apps import apps as global_apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from krisenwissen.accounts.models import Role
from krisenwissen.core.audit import EVENT_LABELS
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM, PermissionDenied, has_perm
from krisenwissen.workshops import actions
from krisenwissen.workshops.events import WorkshopAuditEvent
from krisenwissen.workshops.lifecycles import WORKSHOP_STATUS
from krisenwissen.workshops.models import Workshop
from krisenwissen.workshops.rules import ParticipantActor

from .. import factories as f

WORKSHOPS = Path(actions.__file__).parent


def test_every_do_function_enforces_a_declared_permission():
    tree = ast.parse(inspect.getsource(actions))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("do_"):
            calls = [c.func for c in ast.walk(node) if isinstance(c, ast.Call)]
            names = {getattr(f_, "id", None) or getattr(f_, "attr", None) for f_ in calls}
            assert names & {"require_perm", "apply", "check"}, node.name
    for name in ("require_perm", "has_perm"):
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == name:
                perm = call.args[1]
                if isinstance(perm, ast.Constant):
                    assert rules.perm_exists(perm.value), perm.value


def test_no_module_but_the_lifecycle_assigns_the_status():
    for path in WORKSHOPS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    assert not (isinstance(target, ast.Attribute) and target.attr == "status"), f"{path}:{node.lineno}"


def test_views_and_templates_ask_declared_permissions_only():
    views = (WORKSHOPS / "views.py").read_text()
    assert "has_role" not in views and "predicate" not in views
    for name in ("is_host_moderator", "is_facilitator", "manages_workshop", "is_participant", "board_is_open"):
        assert name not in views
    for template in (WORKSHOPS / "templates").rglob("*.html"):
        text = template.read_text()
        assert "has_role" not in text and 'value="dokumentiert"' not in text, template


def test_facilitator_permissions(workshop, moderator, host, db):
    stranger = f.UserFactory()
    colleague = f.MembershipFactory(municipality=host, role=Role.MODERATION).user
    contributor = f.MembershipFactory(municipality=host, role=Role.MITWIRKENDE).user
    named = f.UserFactory()
    workshop.facilitators.add(named)
    for user, allowed in ((moderator, True), (colleague, True), (named, True), (contributor, False), (stranger, False),
                          (AnonymousUser(), False), (SYSTEM, True)):
        assert has_perm(user, "workshops.manage_workshop", workshop) is allowed, user
        assert has_perm(user, "workshops.view_protocol", workshop) is allowed, user
    assert has_perm(moderator, "workshops.host_workshop", host)
    assert not has_perm(named, "workshops.host_workshop", host)
    assert has_perm(moderator, "workshops.create_workshop") and not has_perm(contributor, "workshops.create_workshop")
    with pytest.raises(PermissionDenied, match="Nur die Moderation dieses Workshops"):
        actions.do_reveal_cards(workshop, acting_user=contributor)


def test_participant_is_the_subject_of_its_permissions(workshop, participant, moderator, host):
    other = actions.do_create_workshop(host=host, acting_user=moderator,
                                       fields={"title": "Anderer Workshop", "start_date": workshop.start_date})
    stranger = ParticipantActor(actions.do_join_workshop(other, display_name="Fremd"))
    me = ParticipantActor(participant)
    assert has_perm(me, "workshops.write_card", workshop) and not has_perm(stranger, "workshops.write_card", workshop)
    assert has_perm(me, "workshops.view_photos", workshop) and not has_perm(stranger, "workshops.view_photos", workshop)
    assert not has_perm(me, "workshops.cast_vote", workshop)  # no vote running
    assert not has_perm(me, "workshops.manage_workshop", workshop)
    assert not has_perm(me, "workshops.create_workshop")
    # A participant of another workshop cannot upload a photo to this one.
    with pytest.raises(PermissionDenied):
        actions.do_upload_photo(workshop, data=b"x", caption="x", participant=stranger.participant)
    # Anyone holding the link may join while the board is open.
    assert has_perm(AnonymousUser(), "workshops.join_workshop", workshop)
    actions.do_set_locked(workshop, True, acting_user=moderator)
    workshop.refresh_from_db()
    assert not has_perm(me, "workshops.write_card", workshop)
    assert not has_perm(AnonymousUser(), "workshops.join_workshop", workshop)


def test_participant_actions_enforce_the_permission_after_explaining(workshop, participant, moderator):
    actions.do_set_locked(workshop, True, acting_user=moderator)
    with pytest.raises(ValidationError, match="gesperrt"):  # the reason first, in German
        actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="zu spät")


def test_status_lifecycle_drives_the_buttons(workshop, moderator, participant):
    assert workshop.status == "geplant"
    assert [t.name for t in WORKSHOP_STATUS.available(moderator, workshop)] == ["start"]
    assert WORKSHOP_STATUS.available(f.UserFactory(), workshop) == []
    actions.do_set_status(workshop, "laeuft", acting_user=moderator)
    actions.do_set_voting(workshop, True, acting_user=moderator)
    workshop.refresh_from_db()
    assert [t.name for t in WORKSHOP_STATUS.available(moderator, workshop)] == ["finish"]
    actions.do_set_status(workshop, "dokumentiert", acting_user=moderator)
    workshop.refresh_from_db()
    assert workshop.locked and not workshop.voting_open  # effect of "finish"
    assert {t.name for t in WORKSHOP_STATUS.available(moderator, workshop)} == {"reopen", "validate"}
    actions.do_set_status(workshop, "laeuft", acting_user=moderator)
    workshop.refresh_from_db()
    assert not workshop.locked  # effect of "reopen"
    with pytest.raises(ValidationError, match="nächsten Schritt"):
        actions.do_set_status(workshop, "validiert", acting_user=moderator)
    with pytest.raises(ValidationError, match="Unbekannter Status"):
        actions.do_set_status(workshop, "kaputt", acting_user=moderator)
    with pytest.raises(PermissionDenied):
        actions.do_set_status(workshop, "dokumentiert", acting_user=f.UserFactory())
    rows = AuditEntry.objects.filter(action=WorkshopAuditEvent.STATUS_CHANGED).order_by("pk")
    assert [(r.details["old"], r.details["new"]) for r in rows] == [
        ("geplant", "laeuft"), ("laeuft", "dokumentiert"), ("dokumentiert", "laeuft")]


def test_choosing_a_question_starts_a_planned_workshop(workshop, moderator):
    actions.do_set_current_question(workshop, workshop.phases.last().questions.first(), acting_user=moderator)
    workshop.refresh_from_db()
    assert workshop.status == "laeuft"
    assert AuditEntry.objects.filter(action=WorkshopAuditEvent.STATUS_CHANGED, actor=moderator).count() == 1


def test_system_acts_without_an_account(host, db):
    workshop = actions.do_create_workshop(host=host, acting_user=SYSTEM,
                                          fields={"title": "Vom System", "start_date": "2024-01-01"})
    assert workshop.created_by is None and not workshop.facilitators.exists()
    row = AuditEntry.objects.get(action=WorkshopAuditEvent.WORKSHOP_CREATED)
    assert row.actor is None and row.details["system"] is True


def test_audit_events_are_registered_with_german_labels():
    for event in WorkshopAuditEvent:
        assert event.value.startswith("workshops.") and EVENT_LABELS[event.value] == event.label


def test_data_migration_renames_old_keys(workshop):
    migration = importlib.import_module("krisenwissen.workshops.migrations.0002_audit_event_keys")
    AuditEntry.objects.all().delete()
    old = AuditEntry.objects.create(action="karte_verschoben", object_type="workshops.workshop", object_id=str(workshop.pk))
    foreign = AuditEntry.objects.create(action="karte_verschoben", object_type="knowledge.lesson", object_id="1")
    migration.Migration.operations[0].code(global_apps, None)
    old.refresh_from_db()
    foreign.refresh_from_db()
    assert old.action == "workshops.card_moved" and foreign.action == "karte_verschoben"
    assert set(migration.OLD_TO_NEW.values()) <= set(WorkshopAuditEvent.values)
    migration.Migration.operations[0].reverse_code(global_apps, None)
    old.refresh_from_db()
    assert old.action == "karte_verschoben"


def test_workshop_model_is_the_lifecycle_model():
    assert WORKSHOP_STATUS.model == "workshops.Workshop" and Workshop._meta.get_field("status")
    assert WORKSHOP_STATUS.states() == set(Workshop._meta.get_field("status").choices and dict(
        Workshop._meta.get_field("status").choices))
