"""Publication with integrity (issue 11, defects 3 and 4).

* Editing a published item creates a pending revision: what others see (pages, lists, CSV,
  comparison, search, API) stays the approved version until Redaktion approves the revision.
* Four-eyes principle: nobody approves a publication they requested or a revision they wrote,
  unless their municipality switched the principle off.
"""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.knowledge import actions
from krisenwissen.knowledge.events import KnowledgeEvent
from krisenwissen.knowledge.models import (
    GoodPractice,
    Lesson,
    Observation,
    PublicationReview,
    Recommendation,
    ReviewStatus,
)

from .. import factories as f

# The reason a reviewer gives for publishing a text with flagged personal data.
CHECKED = "Geprüft: keine schutzwürdigen Daten (Test)."

PERSONAL = "Herr Krause, Tel. 0201 8877665, krause.privat@example.org"


@pytest.fixture
def redaktion_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user


@pytest.fixture
def redaktion_a2(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a2").user


@pytest.fixture
def municipal_admin_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.ADMINISTRATION, user__username="verwaltung-a").user


def _observation_form(text: str) -> dict:
    return {"kind": "erfahrung", "text": text, "source": "", "anonymous": "on", "crisis": "", "phase": "",
            "department_function": ""}


def _anonymous_sees(client, needle: str) -> list[str]:
    """Every public surface on which an anonymous visitor finds ``needle``."""
    client.logout()
    surfaces = {
        "api-list": "/api/v1/beobachtungen/",
        "api-search": "/api/v1/suche/?q=Krause",
        "search-page": reverse("search:search") + "?q=Krause",
        "browse": reverse("search:browse"),
        "browse-csv": reverse("search:browse") + "?format=csv",
    }
    found = []
    for name, url in surfaces.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if needle in body.decode():
            found.append(name)
    return found


# --- defect 3: editing a published item ------------------------------------------------------


def test_edit_of_public_observation_stays_private_until_approved(client, city_a, contributor_a, redaktion_a,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", kind="erfahrung",
                                    text="Das Bürgertelefon war überlastet.", created_by=contributor_a)
    detail = item.get_absolute_url()
    api_detail = f"/api/v1/beobachtungen/{item.uuid}/"

    client.force_login(contributor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("knowledge:item_edit", args=["observation", item.pk]),
                               _observation_form(f"Das Bürgertelefon war überlastet. Rückfragen: {PERSONAL}"))
    assert response.status_code == 302
    # The contributor learns that the change waits for approval.
    page = client.get(detail).content.decode()
    assert "wartet auf Freigabe" in page

    # The public still sees the approved text: page, API detail, API list, search, browse, CSV.
    client.logout()
    page = client.get(detail).content.decode()
    assert "Das Bürgertelefon war überlastet." in page
    assert "krause.privat@example.org" not in page
    api = client.get(api_detail)
    assert api.status_code == 200
    assert "krause.privat@example.org" not in api.content.decode()
    assert json.loads(api.content)["text"] == "Das Bürgertelefon war überlastet."
    assert _anonymous_sees(client, "krause.privat@example.org") == []
    assert _anonymous_sees(client, "0201 8877665") == []
    assert json.loads(client.get("/api/v1/suche/?q=Krause").content)["results"] == []

    # Redaktion sees the revision with the personal data flagged, approves with a reason (the flags
    # block a plain approval), and only then it is public.
    review = PublicationReview.objects.get(object_id=item.pk, status=ReviewStatus.OFFEN)
    assert {flag["text"] for flag in review.flags} >= {"krause.privat@example.org"}
    client.force_login(redaktion_a)
    review_page = client.get(reverse("knowledge:review_detail", args=[review.pk])).content.decode()
    assert "krause.privat@example.org" in review_page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("knowledge:review_detail", args=[review.pk]),
                    {"decision": "freigeben", "confirm_checked": "on", "note": "",
                     "flags_reason": "Dienstliche Kontaktstelle, mit der Person abgestimmt."})
    review.refresh_from_db()
    assert review.status == ReviewStatus.FREIGEGEBEN
    client.logout()
    assert "krause.privat@example.org" in client.get(detail).content.decode()
    assert "krause.privat@example.org" in client.get(api_detail).content.decode()
    hits = json.loads(client.get("/api/v1/suche/?q=Krause").content)["results"]
    assert [hit["url"].endswith(detail) for hit in hits] == [True]


@pytest.mark.parametrize(("model", "factory", "fields", "public_field"), [
    (Observation, f.ObservationFactory, {"text": PERSONAL}, "text"),
    (Lesson, f.LessonFactory, {"finding": PERSONAL}, "finding"),
    (Recommendation, f.RecommendationFactory, {"text": PERSONAL}, "text"),
    (GoodPractice, f.GoodPracticeFactory, {"contact": PERSONAL}, "contact"),
])
@pytest.mark.parametrize("visibility", ["oeffentlich", "netzwerk"])
def test_every_published_kind_keeps_its_approved_content(model, factory, fields, public_field, visibility,
                                                         city_a, contributor_a, redaktion_a):
    item = factory(municipality=city_a, visibility=visibility)
    before = getattr(item, public_field)
    actions.do_update_item(item, fields=fields, acting_user=contributor_a)
    stored = model.objects.get(pk=item.pk)
    assert getattr(stored, public_field) == before
    assert stored.visibility == visibility
    review = PublicationReview.objects.get(object_id=item.pk, content_type__model=model._meta.model_name,
                                           status=ReviewStatus.OFFEN)
    assert review.flags
    assert AuditEntry.objects.filter(action=KnowledgeEvent.REVISION_REQUESTED, object_id=str(item.pk)).exists()

    actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)
    stored.refresh_from_db()
    assert getattr(stored, public_field) == PERSONAL
    assert stored.visibility == visibility


def test_rejected_revision_leaves_the_published_version(city_a, contributor_a, redaktion_a):
    item = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Alt")
    actions.do_update_item(item, fields={"text": PERSONAL}, acting_user=contributor_a)
    review = PublicationReview.objects.get(object_id=item.pk, status=ReviewStatus.OFFEN)
    actions.do_reject_publication(review, acting_user=redaktion_a, note="Namen entfernen")
    item.refresh_from_db()
    assert item.text == "Alt" and item.visibility == "oeffentlich"


def test_second_edit_updates_the_pending_revision_and_the_form_shows_it(client, city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Alt")
    actions.do_update_item(item, fields={"text": "Erste Änderung"}, acting_user=contributor_a)
    actions.do_update_item(item, fields={"text": "Zweite Änderung"}, acting_user=contributor_a)
    reviews = PublicationReview.objects.filter(object_id=item.pk, status=ReviewStatus.OFFEN)
    assert reviews.count() == 1
    assert reviews.get().changes["fields"]["text"] == "Zweite Änderung"
    client.force_login(contributor_a)
    form = client.get(reverse("knowledge:item_edit", args=["observation", item.pk])).content.decode()
    assert "Zweite Änderung" in form


def test_internal_items_are_still_edited_directly(city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a, visibility="intern", text="Alt")
    actions.do_update_item(item, fields={"text": "Neu"}, acting_user=contributor_a)
    item.refresh_from_db()
    assert item.text == "Neu"
    assert not PublicationReview.objects.filter(object_id=item.pk).exists()


def test_lowering_to_intern_applies_the_pending_revision_internally(city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Alt")
    actions.do_update_item(item, fields={"text": "Neu"}, acting_user=contributor_a)
    actions.do_request_publication(item, "intern", acting_user=contributor_a)
    item.refresh_from_db()
    assert item.visibility == "intern" and item.text == "Neu"


def test_edit_while_publication_is_requested_refreshes_the_flags(city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a, visibility="intern", text="Unverfänglich")
    review = actions.do_request_publication(item, "oeffentlich", acting_user=contributor_a)
    assert review.flags == []
    actions.do_update_item(item, fields={"text": PERSONAL}, acting_user=contributor_a)
    review.refresh_from_db()
    assert review.flags


# --- defect 4: four-eyes principle -----------------------------------------------------------


def test_redaktion_cannot_approve_own_request(city_a, redaktion_a, redaktion_a2):
    item = f.ObservationFactory(municipality=city_a)
    review = actions.do_request_publication(item, "oeffentlich", acting_user=redaktion_a)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)
    item.refresh_from_db()
    assert item.visibility == "intern"
    actions.do_confirm_publication(review, acting_user=redaktion_a2, flags_reason=CHECKED)
    item.refresh_from_db()
    assert item.visibility == "oeffentlich"


def test_redaktion_cannot_approve_a_revision_they_wrote(city_a, contributor_a, redaktion_a, redaktion_a2):
    item = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Alt")
    review = actions.do_update_item(item, fields={"text": "Neu von der Redaktion"}, acting_user=redaktion_a) and \
        PublicationReview.objects.get(object_id=item.pk, status=ReviewStatus.OFFEN)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)
    actions.do_confirm_publication(review, acting_user=redaktion_a2, flags_reason=CHECKED)
    item.refresh_from_db()
    assert item.text == "Neu von der Redaktion"


def test_requester_may_still_withdraw_by_rejecting(city_a, redaktion_a):
    item = f.ObservationFactory(municipality=city_a)
    review = actions.do_request_publication(item, "oeffentlich", acting_user=redaktion_a)
    actions.do_reject_publication(review, acting_user=redaktion_a, note="zurückgezogen")
    review.refresh_from_db()
    assert review.status == ReviewStatus.ABGELEHNT


def test_four_eyes_can_be_switched_off_per_municipality(city_a, city_b, redaktion_a, editor_b):
    city_a.publication_four_eyes = False
    city_a.save()
    item = f.ObservationFactory(municipality=city_a)
    review = actions.do_request_publication(item, "oeffentlich", acting_user=redaktion_a)
    actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)
    item.refresh_from_db()
    assert item.visibility == "oeffentlich"
    # Other municipalities keep the default (on).
    other = f.ObservationFactory(municipality=city_b)
    review_b = actions.do_request_publication(other, "oeffentlich", acting_user=editor_b)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_publication(review_b, acting_user=editor_b, flags_reason=CHECKED)


def test_review_page_explains_why_the_sole_editor_cannot_approve(client, city_a, redaktion_a):
    item = f.ObservationFactory(municipality=city_a, text="Text ohne Namen")
    review = actions.do_request_publication(item, "oeffentlich", acting_user=redaktion_a)
    client.force_login(redaktion_a)
    url = reverse("knowledge:review_detail", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Vier-Augen-Prinzip" in page
    assert "niemand sonst" in page
    assert 'value="freigeben"' not in page  # no approve choice for the requester
    assert 'value="ablehnen"' in page
    response = client.post(url, {"decision": "freigeben", "confirm_checked": "on", "note": "", "flags_reason": CHECKED}, follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.visibility == "intern"
    review.refresh_from_db()
    assert review.status == ReviewStatus.OFFEN


def test_review_page_offers_approval_to_a_second_editor(client, city_a, redaktion_a, redaktion_a2):
    item = f.ObservationFactory(municipality=city_a, text="Text ohne Namen")
    review = actions.do_request_publication(item, "oeffentlich", acting_user=redaktion_a)
    client.force_login(redaktion_a)
    page = client.get(reverse("knowledge:review_detail", args=[review.pk])).content.decode()
    assert "Vier-Augen-Prinzip" in page and "niemand sonst" not in page
    client.force_login(redaktion_a2)
    page = client.get(reverse("knowledge:review_detail", args=[review.pk])).content.decode()
    assert 'value="freigeben"' in page
    client.post(reverse("knowledge:review_detail", args=[review.pk]),
                {"decision": "freigeben", "confirm_checked": "on", "note": "", "flags_reason": CHECKED})
    item.refresh_from_db()
    assert item.visibility == "oeffentlich"


def test_municipal_administrator_switches_four_eyes_off(client, city_a, municipal_admin_a, contributor_a):
    url = reverse("accounts:members", args=[city_a.ags])
    client.force_login(contributor_a)
    client.post(url, {"freigabe-four_eyes_marker": "1"})
    city_a.refresh_from_db()
    assert city_a.publication_four_eyes is True
    client.force_login(municipal_admin_a)
    page = client.get(url).content.decode()
    assert "Vier-Augen-Prinzip" in page
    response = client.post(url, {"freigabe-four_eyes_marker": "1"})
    assert response.status_code == 302
    city_a.refresh_from_db()
    assert city_a.publication_four_eyes is False
    assert AuditEntry.objects.filter(action="accounts.publication_four_eyes_changed", actor=municipal_admin_a).exists()
    client.post(url, {"freigabe-four_eyes_marker": "1", "freigabe-publication_four_eyes": "on"})
    city_a.refresh_from_db()
    assert city_a.publication_four_eyes is True


def test_lesson_revision_with_links_and_codes_through_the_pages(client, city_a, contributor_a, redaktion_a):
    code = f.CodeFactory()
    evidence = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Beleg")
    lesson = f.LessonFactory(municipality=city_a, visibility="oeffentlich", title="Personalreserve",
                             finding="Reserven planen.")
    client.force_login(contributor_a)
    url = reverse("knowledge:item_edit", args=["lesson", lesson.pk])
    response = client.post(url, {"title": "Personalreserve", "finding": f"Reserven planen. {PERSONAL}", "cause": "",
                                 "observations": [evidence.pk], "codes": [code.pk], "crisis": "", "phase": "",
                                 "department_function": ""})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.finding == "Reserven planen." and not lesson.observations.exists() and not lesson.codes.exists()
    # The form shows the pending revision, links included.
    form = client.get(url).content.decode()
    assert "krause.privat@example.org" in form
    assert re.search(rf'name="observations" value="{evidence.pk}"[^>]*checked', form)
    assert re.search(rf'name="codes" value="{code.pk}"[^>]*checked', form)
    client.logout()
    assert "krause.privat@example.org" not in client.get(lesson.get_absolute_url()).content.decode()
    assert "krause.privat@example.org" not in b"".join(
        client.get(reverse("knowledge:lesson_list") + "?format=csv").streaming_content).decode()
    review = PublicationReview.objects.get(object_id=lesson.pk, content_type__model="lesson", status=ReviewStatus.OFFEN)
    client.force_login(redaktion_a)
    page = client.get(reverse("knowledge:review_detail", args=[review.pk])).content.decode()
    assert "Änderungen gegenüber der freigegebenen Fassung" in page and "Belege" in page
    actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)
    lesson.refresh_from_db()
    assert list(lesson.observations.all()) == [evidence] and list(lesson.codes.all()) == [code]
    assert PERSONAL in lesson.finding
