"""The knowledge base's named permissions, lifecycle steps, audit events and their migration."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError

from krisenwissen.accounts.models import Role
from krisenwissen.core.audit import event_label
from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.core.policy import SYSTEM, has_perm
from krisenwissen.knowledge import actions
from krisenwissen.knowledge.events import KnowledgeEvent
from krisenwissen.knowledge.lifecycles import LESSON, OBSERVATION_REVIEW, PUBLICATION_REVIEW
from krisenwissen.knowledge.models import (
    Crisis,
    LessonStatus,
    Observation,
    ObservationStatus,
    ReviewStatus,
)

from .. import factories as f

# The reason a reviewer gives for publishing a text with flagged personal data.
CHECKED = "Geprüft: keine schutzwürdigen Daten (Test)."


@pytest.fixture
def redaktion_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user


def test_item_permissions_follow_the_role_in_the_items_municipality(city_a, city_b, reader_a, contributor_a, redaktion_a, editor_b):
    item = f.ObservationFactory(municipality=city_a, visibility="intern")
    assert has_perm(reader_a, "knowledge.view_observation", item)
    assert not has_perm(editor_b, "knowledge.view_observation", item)
    assert not has_perm(reader_a, "knowledge.change_observation", item)
    assert has_perm(contributor_a, "knowledge.change_observation", item)
    assert not has_perm(editor_b, "knowledge.change_observation", item)
    assert has_perm(redaktion_a, "knowledge.publish_observation", item)
    assert not has_perm(contributor_a, "knowledge.publish_observation", item)


def test_adding_asks_somewhere_for_the_page_and_the_municipality_for_the_action(city_a, city_b, reader_a, contributor_a):
    assert has_perm(contributor_a, "knowledge.add_item")
    assert not has_perm(reader_a, "knowledge.add_item")
    assert has_perm(contributor_a, "knowledge.add_item", city_a)
    assert not has_perm(contributor_a, "knowledge.add_item", city_b)
    with pytest.raises(PermissionDenied, match="in dieser Kommune"):
        actions.do_create_item(Observation, municipality=city_b, fields={"kind": "erfahrung", "text": "x"},
                               acting_user=contributor_a)


def test_crises_are_created_by_redaktion_somewhere_or_the_platform(city_a, contributor_a, redaktion_a, admin_user):
    with pytest.raises(PermissionDenied, match="Krisen legt die Redaktion"):
        actions.do_create_crisis(title="Hitze 2027", hazard_type="Hitze", acting_user=contributor_a)
    for person in (redaktion_a, admin_user, SYSTEM):
        actions.do_create_crisis(title=f"Hitze {person}", hazard_type="Hitze", acting_user=person)
    assert Crisis.objects.count() == 3
    assert AuditEntry.objects.filter(action=KnowledgeEvent.CRISIS_CREATED).count() == 3
    assert AuditEntry.objects.filter(action=KnowledgeEvent.CRISIS_CREATED, actor__isnull=True,
                                     details__system=True).count() == 1


def test_code_book_is_kept_by_the_platform_administration(db, redaktion_a):
    scheme = f.CodeFactory().scheme
    with pytest.raises(PermissionDenied, match="Codebuch"):
        actions.do_create_code(scheme=scheme, key="neu", name="Neu", acting_user=redaktion_a)
    code = actions.do_create_code(scheme=scheme, key="neu", name="Neu", acting_user=SYSTEM)
    assert AuditEntry.objects.filter(action=KnowledgeEvent.CODE_CREATED, object_id=str(code.pk)).exists()


def test_lifecycle_buttons_come_from_the_tables(city_a, contributor_a, redaktion_a):
    obs = f.ObservationFactory(municipality=city_a, status=ObservationStatus.ENTWURF)
    assert [t.name for t in OBSERVATION_REVIEW.available(contributor_a, obs)] == ["submit"]
    lesson = f.LessonFactory(municipality=city_a)
    assert {t.name for t in LESSON.available(redaktion_a, lesson)} == {"endorse", "archive", "replace"}
    assert LESSON.available(contributor_a, lesson) == []
    review = actions.do_request_publication(obs, "netzwerk", acting_user=contributor_a)
    assert {t.name for t in PUBLICATION_REVIEW.available(redaktion_a, review)} == {"approve", "reject"}
    assert PUBLICATION_REVIEW.available(contributor_a, review) == []


def test_decided_review_keeps_its_message_and_approval_applies_the_visibility(city_a, contributor_a, redaktion_a):
    item = f.ObservationFactory(municipality=city_a)
    review = actions.do_request_publication(item, "netzwerk", acting_user=contributor_a)
    actions.do_confirm_publication(review, acting_user=redaktion_a, note="ok", flags_reason=CHECKED)
    review.refresh_from_db()
    item.refresh_from_db()
    assert (review.status, review.reviewer, review.note, item.visibility) == (ReviewStatus.FREIGEGEBEN, redaktion_a, "ok", "netzwerk")
    with pytest.raises(ValidationError, match="bereits entschieden"):
        actions.do_reject_publication(review, acting_user=redaktion_a, note="zu spät")
    with pytest.raises(PermissionDenied):  # the permission is asked before the state
        actions.do_reject_publication(review, acting_user=contributor_a, note="zu spät")


def test_closed_lesson_keeps_its_message(city_a, redaktion_a):
    lesson = f.LessonFactory(municipality=city_a)
    actions.do_archive_lesson(lesson, reason="überholt", acting_user=redaktion_a)
    with pytest.raises(ValidationError, match="bereits abgeschlossen"):
        actions.do_archive_lesson(lesson, reason="nochmals", acting_user=redaktion_a)


def test_starting_implementation_twice_changes_nothing_but_still_asks_permission(city_a, reader_a, contributor_a):
    lesson = f.LessonFactory(municipality=city_a, status=LessonStatus.IN_UMSETZUNG)
    assert actions.do_start_lesson_implementation(lesson, acting_user=contributor_a).status == LessonStatus.IN_UMSETZUNG
    assert not AuditEntry.objects.filter(object_id=str(lesson.pk), object_type="knowledge.lesson").exists()
    with pytest.raises(PermissionDenied):
        actions.do_start_lesson_implementation(lesson, acting_user=reader_a)


def test_system_may_take_steps_and_notifications_skip_no_one(city_a, contributor_a):
    moderator = f.MembershipFactory(municipality=city_a, role=Role.MODERATION).user
    obs = f.ObservationFactory(municipality=city_a, status=ObservationStatus.ENTWURF, created_by=contributor_a)
    actions.do_submit_observation(obs, acting_user=SYSTEM)
    assert Notification.objects.filter(recipient=moderator, subject="Beobachtung zur Prüfung eingereicht").exists()
    actions.do_review_observation(obs, accept=False, reason="Zu knapp.", acting_user=SYSTEM)
    assert Notification.objects.get(recipient=contributor_a, subject="Beobachtung abgelehnt")


def test_every_key_written_has_a_german_label(city_a, contributor_a, redaktion_a):
    item = actions.do_create_item(Observation, municipality=city_a, fields={"kind": "erfahrung", "text": "Text"},
                                  acting_user=contributor_a)
    actions.do_update_item(item, fields={"text": "Neuer Text"}, acting_user=contributor_a)
    review = actions.do_request_publication(item, "oeffentlich", acting_user=contributor_a)
    actions.do_reject_publication(review, acting_user=redaktion_a, note="nein")
    actions.do_request_publication(item, "intern", acting_user=contributor_a)
    keys = set(AuditEntry.objects.values_list("action", flat=True))
    assert keys == {KnowledgeEvent.OBSERVATION_CREATED, KnowledgeEvent.OBSERVATION_CHANGED,
                    KnowledgeEvent.PUBLICATION_REQUESTED, KnowledgeEvent.PUBLICATION_REJECTED}
    assert all(event_label(key) != key for key in keys)
    assert str(event_label(KnowledgeEvent.LESSON_CREATED)) == "erkannt (angelegt)"


def test_migration_renames_old_keys_and_back(db):
    migration = importlib.import_module("krisenwissen.knowledge.migrations.0003_audit_event_keys")
    AuditEntry.objects.create(action="beobachtung_eingereicht")
    AuditEntry.objects.create(action="lesson_erstellt")
    AuditEntry.objects.create(action="massnahme_status")  # another app's key stays
    migration.Migration.operations[0].code(django_apps, None)
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == sorted(
        [KnowledgeEvent.OBSERVATION_SUBMITTED, KnowledgeEvent.LESSON_CREATED, "massnahme_status"])
    assert set(migration.RENAMED.values()) <= {str(e) for e in KnowledgeEvent}
    migration.Migration.operations[0].reverse_code(django_apps, None)
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == sorted(
        ["beobachtung_eingereicht", "lesson_erstellt", "massnahme_status"])
