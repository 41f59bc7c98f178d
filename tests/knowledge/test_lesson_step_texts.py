"""Free texts of lesson steps on a published lesson wait for review (issue 11, defect 3).

The validation result and the status reason are written in lifecycle steps, not through the
edit form. On a lesson at Netzwerk or öffentlich, the step's state takes effect at once, its
free text waits on the lesson's pending revision until a second Redaktion member approves it;
meanwhile neither the lifecycle box nor the public history nor the API shows it.
"""

import datetime as dt

import pytest
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.knowledge import actions
from krisenwissen.knowledge.models import LessonStatus, PublicationReview, ReviewStatus

from .. import factories as f

# The reason a reviewer gives for publishing a text with flagged personal data.
CHECKED = "Geprüft: keine schutzwürdigen Daten (Test)."

PHONE = "0201 8877665"
MAIL = "krause.privat@example.org"
PERSONAL = f"Rückfragen an Herrn Krause, Tel. {PHONE}, {MAIL}"


@pytest.fixture
def redaktion_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user


@pytest.fixture
def reader_b(city_b):
    return f.MembershipFactory(municipality=city_b, role=Role.LESER, user__username="leser-b").user


def _surfaces(client, lesson, user=None) -> str:
    """What a reader gets from the lesson page and the API detail (history included in the page)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    page = client.get(lesson.get_absolute_url())
    assert page.status_code == 200
    api = client.get(f"/api/v1/erkenntnisse/{lesson.uuid}/")
    assert api.status_code == 200
    return page.content.decode() + api.content.decode()


def _open_review(lesson):
    return PublicationReview.objects.get(object_id=lesson.pk, content_type__model="lesson", status=ReviewStatus.OFFEN)


@pytest.mark.parametrize("visibility", ["oeffentlich", "netzwerk"])
def test_validation_result_of_published_lesson_waits_for_approval(client, city_a, city_b, network, contributor_a,
                                                                  redaktion_a, reader_b, visibility):
    lesson = f.LessonFactory(municipality=city_a, visibility=visibility, status=LessonStatus.IN_UMSETZUNG,
                             title="Bürgertelefon", validation_result="Früheres Ergebnis.")
    actions.do_validate_lesson(lesson, date=dt.date.today(), method="uebung", result=f"Bewährt. {PERSONAL}",
                               acting_user=contributor_a)
    lesson.refresh_from_db()
    # The state changes at once; the text waits.
    assert lesson.status == LessonStatus.UEBERPRUEFT
    assert PHONE not in lesson.validation_result
    readers = [reader_b] if visibility == "netzwerk" else [None, reader_b]
    for reader in readers:
        seen = _surfaces(client, lesson, reader)
        assert PHONE not in seen and MAIL not in seen, reader
        assert "Begründung wartet auf Freigabe" in seen
    review = _open_review(lesson)
    assert review.changes["fields"]["validation_result"] == f"Bewährt. {PERSONAL}"
    assert any(flag["kind"] for flag in review.flags), review.flags
    # The reviewer sees the pending text in the history and on the review page.
    client.force_login(redaktion_a)
    assert PHONE in client.get(lesson.get_absolute_url()).content.decode()
    assert PHONE in client.get(reverse("knowledge:review_detail", args=[review.pk])).content.decode()
    # Approval by another Redaktion member publishes it.
    actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)
    for reader in readers:
        seen = _surfaces(client, lesson, reader)
        assert PHONE in seen and "Begründung wartet auf Freigabe" not in seen


def test_author_of_step_text_cannot_approve_it(city_a, redaktion_a):
    from django.core.exceptions import PermissionDenied

    lesson = f.LessonFactory(municipality=city_a, visibility="oeffentlich", status=LessonStatus.BESTAETIGT)
    actions.do_archive_lesson(lesson, reason=f"Erledigt. {PERSONAL}", acting_user=redaktion_a)
    review = _open_review(lesson)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_publication(review, acting_user=redaktion_a, flags_reason=CHECKED)


def test_archive_reason_of_public_lesson_hidden_from_anonymous(client, city_a, redaktion_a):
    lesson = f.LessonFactory(municipality=city_a, visibility="oeffentlich", status=LessonStatus.BESTAETIGT)
    actions.do_archive_lesson(lesson, reason=f"Erledigt. {PERSONAL}", acting_user=redaktion_a)
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.ARCHIVIERT
    seen = _surfaces(client, lesson)
    assert PHONE not in seen and "Begründung wartet auf Freigabe" in seen
    # A rejected revision never shows the text, and no longer claims it waits.
    actions.do_reject_publication(_open_review(lesson), acting_user=redaktion_a, note="Personenbezug.")
    seen = _surfaces(client, lesson)
    assert PHONE not in seen and "Begründung wartet auf Freigabe" not in seen


def test_internal_lesson_step_text_applies_at_once(city_a, contributor_a):
    lesson = f.LessonFactory(municipality=city_a, visibility="intern", status=LessonStatus.IN_UMSETZUNG)
    actions.do_validate_lesson(lesson, date=dt.date.today(), method="uebung", result="Bewährt.",
                               acting_user=contributor_a)
    lesson.refresh_from_db()
    assert lesson.validation_result == "Bewährt."
    assert not PublicationReview.objects.filter(object_id=lesson.pk, content_type__model="lesson").exists()


def test_validation_through_the_page_tells_the_contributor(client, city_a, contributor_a):
    lesson = f.LessonFactory(municipality=city_a, visibility="oeffentlich", status=LessonStatus.IN_UMSETZUNG)
    client.force_login(contributor_a)
    response = client.post(reverse("learning:lesson_transition", args=[lesson.pk, "validate"]),
                           {"date": dt.date.today().isoformat(), "method": "uebung", "result": f"Bewährt. {PERSONAL}"},
                           follow=True)
    page = response.content.decode()
    assert "zur Freigabe vorgelegt" in page
    assert PHONE not in page  # the author, no reviewer, sees the text only on the review
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.UEBERPRUEFT and _open_review(lesson).changes["fields"]["validation_result"]
