"""Review with integrity in the UI (issue 14).

* Flagged personal data blocks publishing until the text is edited on the review page or the
  reviewer records a reason (stored on the review and in the audit row).
* The evidence strength of a public recommendation is published with it: anonymous visitors
  read "in 2 von 3 Städten beobachtet" instead of "in 0 von 3", without the internal items.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.knowledge import actions
from krisenwissen.knowledge.events import KnowledgeEvent
from krisenwissen.knowledge.models import Observation, PublicationReview, ReviewStatus

from .. import factories as f

NAME = "Frau Sabine Krüger"


@pytest.fixture
def redaktion_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user


@pytest.fixture
def flagged_review(city_a, contributor_a):
    item = f.ObservationFactory(municipality=city_a, visibility="intern", created_by=contributor_a,
                                text=f"{NAME} vom Ordnungsamt schrieb die Schichtpläne jede Woche neu.")
    return actions.do_request_publication(item, "oeffentlich", acting_user=contributor_a)


def test_flagged_text_is_not_published_with_one_tick(client, flagged_review, redaktion_a):
    assert flagged_review.flags
    with pytest.raises(ValidationError) as exc:
        actions.do_confirm_publication(flagged_review, acting_user=redaktion_a)
    assert "personenbezogene Daten" in " ".join(exc.value.messages)
    client.force_login(redaktion_a)
    url = reverse("knowledge:review_detail", args=[flagged_review.pk])
    page = client.post(url, {"decision": "freigeben", "confirm_checked": "on", "note": ""}).content.decode()
    assert "begründen Sie" in page
    flagged_review.refresh_from_db()
    assert flagged_review.status == ReviewStatus.OFFEN
    assert Observation.objects.get(pk=flagged_review.object_id).visibility == "intern"


def test_publishing_despite_flags_needs_a_stored_and_audited_reason(client, flagged_review, redaktion_a):
    client.force_login(redaktion_a)
    url = reverse("knowledge:review_detail", args=[flagged_review.pk])
    client.post(url, {"decision": "freigeben", "confirm_checked": "on", "note": "",
                      "flags_reason": "Frau Krüger hat der Nennung schriftlich zugestimmt."})
    flagged_review.refresh_from_db()
    assert flagged_review.status == ReviewStatus.FREIGEGEBEN
    assert flagged_review.flags_reason == "Frau Krüger hat der Nennung schriftlich zugestimmt."
    row = AuditEntry.objects.get(action=KnowledgeEvent.PUBLICATION_APPROVED)
    assert row.details["begruendung_hinweise"] == "Frau Krüger hat der Nennung schriftlich zugestimmt."
    assert row.details["hinweise"] >= 1
    assert Observation.objects.get(pk=flagged_review.object_id).visibility == "oeffentlich"


def test_reviewer_edits_the_text_on_the_review_page_then_publishes(client, flagged_review, redaktion_a):
    client.force_login(redaktion_a)
    url = reverse("knowledge:review_detail", args=[flagged_review.pk])
    page = client.get(url).content.decode()
    assert 'name="text-text"' in page and "Text speichern" in page
    response = client.post(url, {"text_speichern": "1",
                                 "text-text": "Die Leitung des Ordnungsamts schrieb die Schichtpläne jede Woche neu."})
    assert response.status_code == 302
    flagged_review.refresh_from_db()
    assert flagged_review.flags == []
    item = Observation.objects.get(pk=flagged_review.object_id)
    assert NAME not in item.text and item.visibility == "intern"
    row = AuditEntry.objects.get(action=KnowledgeEvent.REVIEW_TEXT_EDITED)
    assert row.details["fields"] == ["text"] and NAME not in str(row.details)
    assert Notification.objects.filter(recipient=flagged_review.requested_by, subject__contains="geändert").count() == 1
    # Without flags one tick is enough, and the reviewer's redaction does not make them an author.
    client.post(url, {"decision": "freigeben", "confirm_checked": "on", "note": ""})
    flagged_review.refresh_from_db()
    assert flagged_review.status == ReviewStatus.FREIGEGEBEN
    client.logout()
    public = client.get(item.get_absolute_url()).content.decode()
    assert "Leitung des Ordnungsamts" in public and "Krüger" not in public


def test_edit_of_published_item_on_review_page_stays_pending(client, city_a, contributor_a, redaktion_a):
    item = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Das Bürgertelefon war überlastet.")
    actions.do_update_item(item, fields={"text": f"{NAME} sagt: Das Bürgertelefon war überlastet."}, acting_user=contributor_a)
    review = PublicationReview.objects.get(object_id=item.pk, status=ReviewStatus.OFFEN)
    assert review.flags
    client.force_login(redaktion_a)
    client.post(reverse("knowledge:review_detail", args=[review.pk]),
                {"text_speichern": "1", "text-text": "Eine Sachbearbeiterin sagt: Das Bürgertelefon war überlastet."})
    review.refresh_from_db()
    assert review.flags == []
    item.refresh_from_db()
    assert item.text == "Das Bürgertelefon war überlastet."  # still the approved version
    assert review.changes["fields"]["text"].startswith("Eine Sachbearbeiterin")


def test_reader_cannot_edit_text_under_review(client, flagged_review, reader_a):
    client.force_login(reader_a)
    response = client.post(reverse("knowledge:review_detail", args=[flagged_review.pk]),
                           {"text_speichern": "1", "text-text": "überschrieben"})
    assert response.status_code == 404
    assert "überschrieben" not in Observation.objects.get(pk=flagged_review.object_id).text


def test_anonymous_visitors_read_the_published_evidence_strength(client, city_a, city_b, city_c, network, redaktion_a,
                                                                  contributor_a):
    own = f.ObservationFactory(municipality=city_a, visibility="intern", text="Interne Beobachtung markerintern A.")
    partner = f.ObservationFactory(municipality=city_b, visibility="netzwerk", text="Netzwerk-Beobachtung markernetz B.")
    lesson = f.LessonFactory(municipality=city_a, visibility="intern", title="Interne Erkenntnis markerlesson")
    lesson.observations.add(own, partner)
    rec = f.RecommendationFactory(municipality=city_a, visibility="intern", title="Lagezentrum früh einrichten",
                                  text="Das Lagezentrum sollte früh eingerichtet werden.")
    rec.lessons.add(lesson)
    review = actions.do_request_publication(rec, "oeffentlich", acting_user=contributor_a)
    client.force_login(redaktion_a)
    review_page = client.get(reverse("knowledge:review_detail", args=[review.pk])).content.decode()
    assert "in 2 von 3 Städten beobachtet" in review_page
    actions.do_confirm_publication(review, acting_user=redaktion_a)
    client.logout()
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "in 2 von 3 Städten beobachtet" in page
    assert "in 0 von" not in page
    for marker in ("markerintern", "markernetz", "markerlesson"):
        assert marker not in page


def test_item_form_groups_codes_by_scheme_with_german_placeholders(client, contributor_a):
    from krisenwissen.knowledge.models import Code, Scheme

    themes = Scheme.objects.create(key="themen", name="Themenschwerpunkte", order=1)
    hazards = Scheme.objects.create(key="gefahren", name="Gefahren", order=2)
    parent = Code.objects.create(scheme=themes, key="kommunikation", name="Kommunikation")
    Code.objects.create(scheme=themes, key="buergertelefon", name="Bürgertelefon", parent=parent)
    Code.objects.create(scheme=hazards, key="hochwasser", name="Hochwasser")
    client.force_login(contributor_a)
    page = client.get(reverse("knowledge:item_create", args=["observation"])).content.decode()
    assert "---------" not in page
    assert "– keine Angabe –" in page
    assert page.count("data-code-group") == 2
    assert "<legend>Themenschwerpunkte</legend>" in page and "<legend>Gefahren</legend>" in page
    assert "Kommunikation › Bürgertelefon" in page
    assert "data-code-filter" in page and "codepicker.js" in page


def test_entry_pages_show_author_date_and_source_without_revealing_anonymous_authors(client, city_a):
    author = f.UserFactory(username="p.muster", first_name="Petra", last_name="Musterfrau")
    anonymous = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", created_by=author, anonymous=True,
                                     text="Das Lagezentrum war zu klein.")
    named = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", created_by=author, anonymous=False,
                                 text="Das Bürgertelefon war überlastet.")
    lesson = f.LessonFactory(municipality=city_a, visibility="oeffentlich", created_by=author, title="Lagezentrum planen")
    page = client.get(anonymous.get_absolute_url()).content.decode()
    assert "Erfasst von" in page and "anonym (Stadt A)" in page and "Musterfrau" not in page
    # The page shows the local date (Europe/Berlin), which differs from the UTC date before 1 a.m.
    from django.utils import timezone

    assert "Erfasst am" in page and timezone.localtime(anonymous.created_at).strftime("%d.%m.%Y") in page
    assert "keine Quelle angegeben" in page
    assert "Petra Musterfrau" in client.get(named.get_absolute_url()).content.decode()
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Kommune Stadt A" in page and "Musterfrau" not in page


def test_editing_a_decided_review_changes_nothing(client, flagged_review, redaktion_a):
    actions.do_reject_publication(flagged_review, acting_user=redaktion_a, note="Name enthalten.")
    client.force_login(redaktion_a)
    response = client.post(reverse("knowledge:review_detail", args=[flagged_review.pk]),
                           {"text_speichern": "1", "text-text": "überschrieben"})
    assert response.status_code == 200
    assert "Text speichern" not in response.content.decode()
    assert "überschrieben" not in Observation.objects.get(pk=flagged_review.object_id).text


def test_anonymous_visitors_read_the_published_evidence_strength_of_a_lesson(client, city_a, city_b, city_c, network,
                                                                             redaktion_a, contributor_a):
    own = f.ObservationFactory(municipality=city_a, visibility="intern", text="Interne Beobachtung markerintern A.")
    partner = f.ObservationFactory(municipality=city_b, visibility="netzwerk", text="Netzwerk-Beobachtung markernetz B.")
    lesson = f.LessonFactory(municipality=city_a, visibility="intern", title="Lagezentrum früh einrichten",
                             finding="Das Lagezentrum wurde zu spät eingerichtet.")
    lesson.observations.add(own, partner)
    review = actions.do_request_publication(lesson, "oeffentlich", acting_user=contributor_a)
    actions.do_confirm_publication(review, acting_user=redaktion_a)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "in 2 von 3 Städten beobachtet" in page and "in 0 von" not in page
    assert "markerintern" not in page and "markernetz" not in page



def test_a_reviewer_who_adds_words_of_their_own_becomes_an_author(client, city_a, flagged_review, redaktion_a):
    """Four eyes: only a redaction keeps the reviewer out of the authors; a rewrite needs another decider."""
    other = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a2").user
    actions.do_edit_text_under_review(
        flagged_review, acting_user=redaktion_a,
        fields={"text": f"{NAME} vom Ordnungsamt schrieb die Schichtpläne jede Woche neu, "
                        "und alle fanden das hervorragend."})
    flagged_review.refresh_from_db()
    assert redaktion_a.pk in flagged_review.authors
    row = AuditEntry.objects.get(action=KnowledgeEvent.REVIEW_TEXT_EDITED)
    assert row.details["redaction"] is False
    # the name is still there: also remove it (a redaction) - the reviewer stays an author of this review
    actions.do_edit_text_under_review(
        flagged_review, acting_user=redaktion_a,
        fields={"text": "[Name entfernt] vom Ordnungsamt schrieb die Schichtpläne jede Woche neu, "
                        "und alle fanden das hervorragend."})
    flagged_review.refresh_from_db()
    assert flagged_review.flags == []
    with pytest.raises(Exception):  # noqa: B017 - refused by the four-eyes permission (PermissionDenied)
        actions.do_confirm_publication(flagged_review, acting_user=redaktion_a)
    actions.do_confirm_publication(flagged_review, acting_user=other)
    flagged_review.refresh_from_db()
    assert flagged_review.status == ReviewStatus.FREIGEGEBEN


def test_what_counts_as_a_redaction():
    from krisenwissen.knowledge.names import is_redaction

    old = f"{NAME} vom Ordnungsamt schrieb die Schichtpläne jede Woche neu."
    assert is_redaction(old, "Die Leitung des Ordnungsamts schrieb die Schichtpläne jede Woche neu.")
    assert is_redaction(old, "[Name entfernt] vom Ordnungsamt schrieb die Schichtpläne jede Woche neu.")
    assert is_redaction(old, "Das Ordnungsamt schrieb die Schichtpläne neu.")  # words removed, one replaced near the name
    assert is_redaction("Ein Text ohne Namen, lang genug.", "Ein Text ohne Namen.")  # only removed
    assert not is_redaction(old, old.replace("jede Woche neu", "nie neu, ein Skandal"))  # far from the name
    assert not is_redaction("Ein Text ohne Namen.", "Ein Text ohne Namen, aber mit einer Meinung.")
    assert not is_redaction(old, "Eine sehr lange neue Beschreibung der zuständigen Person vom Ordnungsamt schrieb "
                                 "die Schichtpläne jede Woche neu.")  # more than a few words in place of the name
