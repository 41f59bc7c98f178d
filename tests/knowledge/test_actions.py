"""State changes: visibility only rises through review; every change writes an audit row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.knowledge import actions
from krisenwissen.knowledge.events import KnowledgeEvent
from krisenwissen.knowledge.models import Observation, ReviewStatus

from .. import factories as f

# The reason a reviewer gives for publishing a text with flagged personal data.
CHECKED = "Geprüft: keine schutzwürdigen Daten (Test)."


@pytest.fixture
def redaktion_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user


def test_created_items_start_internal_even_if_asked_otherwise(city_a, contributor_a):
    item = actions.do_create_item(Observation, municipality=city_a, acting_user=contributor_a,
                                  fields={"kind": "erfahrung", "text": "Bürgertelefon überlastet", "visibility": "oeffentlich"})
    assert item.visibility == "intern"
    assert AuditEntry.objects.filter(action=KnowledgeEvent.OBSERVATION_CREATED, object_id=str(item.pk), actor=contributor_a).exists()


def test_reader_cannot_create(city_a, reader_a):
    with pytest.raises(PermissionDenied):
        actions.do_create_item(Observation, municipality=city_a, acting_user=reader_a, fields={"kind": "erfahrung", "text": "x"})


def test_raising_visibility_waits_for_review_and_flags_names(city_a, contributor_a, redaktion_a):
    item = f.ObservationFactory(municipality=city_a, text="Herr Krause vom Ordnungsamt hat die Streifen organisiert.")
    review = actions.do_request_publication(item, "oeffentlich", acting_user=contributor_a)
    item.refresh_from_db()
    assert item.visibility == "intern"
    assert review.status == ReviewStatus.OFFEN
    assert any(flag["text"] == "Herr Krause" for flag in review.flags)
    actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)
    item.refresh_from_db()
    assert item.visibility == "oeffentlich"
    assert AuditEntry.objects.filter(action=KnowledgeEvent.PUBLICATION_APPROVED, actor=redaktion_a, object_id=str(review.pk)).exists()
    # The item's own history shows the change of visibility.
    assert AuditEntry.objects.filter(action=KnowledgeEvent.VISIBILITY_RAISED, object_id=str(item.pk), actor=redaktion_a).exists()


def test_contributor_cannot_confirm_own_request(city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a)
    review = actions.do_request_publication(item, "netzwerk", acting_user=contributor_a)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_publication(review, acting_user=contributor_a, flags_reason=CHECKED)


def test_redaktion_of_other_city_cannot_confirm(city_a, contributor_a, editor_b):
    item = f.ObservationFactory(municipality=city_a)
    review = actions.do_request_publication(item, "netzwerk", acting_user=contributor_a)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_publication(review, acting_user=editor_b, flags_reason=CHECKED)


def test_reject_needs_reason_and_keeps_visibility(city_a, contributor_a, redaktion_a):
    item = f.ObservationFactory(municipality=city_a)
    review = actions.do_request_publication(item, "oeffentlich", acting_user=contributor_a)
    with pytest.raises(ValidationError):
        actions.do_reject_publication(review, acting_user=redaktion_a, note="  ")
    actions.do_reject_publication(review, acting_user=redaktion_a, note="Enthält interne Details")
    item.refresh_from_db()
    assert item.visibility == "intern"
    with pytest.raises(ValidationError):
        actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)


def test_lowering_visibility_is_immediate(city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a, visibility="oeffentlich")
    assert actions.do_request_publication(item, "intern", acting_user=contributor_a) is None
    item.refresh_from_db()
    assert item.visibility == "intern"


def test_second_request_updates_the_open_review(city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a)
    first = actions.do_request_publication(item, "netzwerk", acting_user=contributor_a)
    second = actions.do_request_publication(item, "oeffentlich", acting_user=contributor_a)
    assert first.pk == second.pk and second.requested_visibility == "oeffentlich"


def test_publication_request_mails_the_redaktion_of_the_item_city_only(city_a, city_b, contributor_a, redaktion_a, editor_b,
                                                                         mailoutbox, django_capture_on_commit_callbacks):
    item = f.ObservationFactory(municipality=city_a, text="Lagezentrum im Gesundheitsamt")
    with django_capture_on_commit_callbacks(execute=True):
        review = actions.do_request_publication(item, "netzwerk", acting_user=contributor_a)
    assert [m.to for m in mailoutbox] == [[redaktion_a.email]]
    assert "Freigabe beantragt" in mailoutbox[0].subject
    assert f"/freigaben/{review.pk}/" in mailoutbox[0].body
    assert editor_b.email not in {addr for m in mailoutbox for addr in m.to}


def test_ensure_source_creates_once_with_audit_and_needs_a_contributor(city_a, contributor_a, reader_a):
    first = actions.do_ensure_source(kind="workshop", title="Reflexionsraum Essen", municipality=city_a,
                                     defaults={"citation": "Workshop, anonymisiert"}, acting_user=contributor_a)
    again = actions.do_ensure_source(kind="workshop", title="Reflexionsraum Essen", municipality=city_a,
                                     acting_user=contributor_a)
    assert first == again and first.citation == "Workshop, anonymisiert"
    assert AuditEntry.objects.filter(action=KnowledgeEvent.SOURCE_CREATED).count() == 1
    with pytest.raises(PermissionDenied):
        actions.do_ensure_source(kind="workshop", title="Anderer", municipality=city_a, acting_user=reader_a)
