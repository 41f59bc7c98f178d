"""The lesson lifecycle: every transition is an action with an audit row; bad input is refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.knowledge import actions as ka
from krisenwissen.knowledge.events import KnowledgeEvent as E
from krisenwissen.knowledge.models import LessonStatus, ObservationStatus
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def people(city_a):
    return {
        role: f.MembershipFactory(municipality=city_a, role=role, user__username=f"{role}-a").user
        for role in (Role.LESER, Role.MITWIRKENDE, Role.MODERATION, Role.REDAKTION)
    }


def audit(obj):
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("timestamp", "id").values_list("action", flat=True))


class TestObservation:
    def test_submit_and_accept(self, city_a, people):
        obs = f.ObservationFactory(municipality=city_a, status=ObservationStatus.ENTWURF)
        ka.do_submit_observation(obs, acting_user=people[Role.MITWIRKENDE])
        obs.refresh_from_db()
        assert obs.status == ObservationStatus.EINGEREICHT
        ka.do_review_observation(obs, accept=True, acting_user=people[Role.MODERATION])
        obs.refresh_from_db()
        assert obs.status == ObservationStatus.GEPRUEFT
        assert audit(obs) == [E.OBSERVATION_SUBMITTED, E.OBSERVATION_ACCEPTED]

    def test_submit_records_quality_hints(self, city_a, people):
        obs = f.ObservationFactory(municipality=city_a, text="Damals entschieden.")
        ka.do_submit_observation(obs, acting_user=people[Role.MITWIRKENDE])
        entry = AuditEntry.objects.get(action=E.OBSERVATION_SUBMITTED)
        assert set(entry.details["hinweise"]) >= {"kurz", "kontext", "warum", "hindernis"}

    def test_reject_needs_reason_and_can_be_resubmitted(self, city_a, people):
        obs = f.ObservationFactory(municipality=city_a, status=ObservationStatus.EINGEREICHT)
        with pytest.raises(ValidationError, match="begründen"):
            ka.do_review_observation(obs, accept=False, reason="  ", acting_user=people[Role.MODERATION])
        ka.do_review_observation(obs, accept=False, reason="Bezug zur Lage fehlt.", acting_user=people[Role.MODERATION])
        obs.refresh_from_db()
        assert (obs.status, obs.rejection_reason) == (ObservationStatus.ABGELEHNT, "Bezug zur Lage fehlt.")
        ka.do_submit_observation(obs, acting_user=people[Role.MITWIRKENDE])
        obs.refresh_from_db()
        assert obs.status == ObservationStatus.EINGEREICHT and obs.rejection_reason == ""

    def test_roles(self, city_a, people):
        obs = f.ObservationFactory(municipality=city_a, status=ObservationStatus.ENTWURF)
        with pytest.raises(PermissionDenied):
            ka.do_submit_observation(obs, acting_user=people[Role.LESER])
        ka.do_submit_observation(obs, acting_user=people[Role.MITWIRKENDE])
        with pytest.raises(PermissionDenied):
            ka.do_review_observation(obs, accept=True, acting_user=people[Role.MITWIRKENDE])

    def test_wrong_state(self, city_a, people):
        obs = f.ObservationFactory(municipality=city_a, status=ObservationStatus.GEPRUEFT)
        with pytest.raises(ValidationError, match="nicht möglich"):
            ka.do_submit_observation(obs, acting_user=people[Role.MITWIRKENDE])


class TestLesson:
    def test_full_path_with_history(self, city_a, people):
        lesson = f.LessonFactory(municipality=city_a)
        red, mit = people[Role.REDAKTION], people[Role.MITWIRKENDE]
        ka.do_endorse_lesson(lesson, acting_user=red)
        ka.do_start_lesson_implementation(lesson, acting_user=mit)
        ka.do_validate_lesson(lesson, date=TODAY, method="uebung", result="Die Übung zeigte: Reserve arbeitsfähig.", acting_user=mit)
        ka.do_embed_lesson(lesson, recheck_due=TODAY + dt.timedelta(days=365), acting_user=red)
        lesson.refresh_from_db()
        assert lesson.status == LessonStatus.VERANKERT
        assert lesson.recheck_due == TODAY + dt.timedelta(days=365)
        assert (lesson.validated_on, lesson.validation_method) == (TODAY, "uebung")
        assert audit(lesson) == [E.LESSON_ENDORSED, E.LESSON_IMPLEMENTATION_STARTED, E.LESSON_VALIDATED, E.LESSON_EMBEDDED]
        # Re-check of an embedded lesson: validated again.
        ka.do_validate_lesson(lesson, date=TODAY, method="audit", result="Hält.", acting_user=mit)
        lesson.refresh_from_db()
        assert lesson.status == LessonStatus.UEBERPRUEFT

    def test_endorse_needs_redaktion(self, city_a, people):
        lesson = f.LessonFactory(municipality=city_a)
        with pytest.raises(PermissionDenied):
            ka.do_endorse_lesson(lesson, acting_user=people[Role.MODERATION])

    def test_no_skipping(self, city_a, people):
        lesson = f.LessonFactory(municipality=city_a)
        with pytest.raises(ValidationError, match="nur aus"):
            ka.do_validate_lesson(lesson, date=TODAY, method="uebung", result="x", acting_user=people[Role.REDAKTION])
        with pytest.raises(ValidationError):
            ka.do_embed_lesson(lesson, recheck_due=TODAY + dt.timedelta(days=1), acting_user=people[Role.REDAKTION])

    @pytest.mark.parametrize("date, method, result, field", [
        (TODAY + dt.timedelta(days=1), "uebung", "ok", "date"),
        (None, "uebung", "ok", "date"),
        (TODAY, "raten", "ok", "method"),
        (TODAY, "audit", "  ", "result"),
    ])
    def test_validation_input(self, city_a, people, date, method, result, field):
        lesson = f.LessonFactory(municipality=city_a, status=LessonStatus.IN_UMSETZUNG)
        with pytest.raises(ValidationError) as exc:
            ka.do_validate_lesson(lesson, date=date, method=method, result=result, acting_user=people[Role.MITWIRKENDE])
        assert field in exc.value.message_dict
        lesson.refresh_from_db()
        assert lesson.status == LessonStatus.IN_UMSETZUNG and not audit(lesson)

    def test_embed_needs_future_recheck(self, city_a, people):
        lesson = f.LessonFactory(municipality=city_a, status=LessonStatus.UEBERPRUEFT)
        for bad in (None, TODAY, TODAY - dt.timedelta(days=3)):
            with pytest.raises(ValidationError) as exc:
                ka.do_embed_lesson(lesson, recheck_due=bad, acting_user=people[Role.REDAKTION])
            assert "recheck_due" in exc.value.message_dict

    def test_replace_refuses_circles(self, city_a, people):
        red = people[Role.REDAKTION]
        a, b, c = (f.LessonFactory(municipality=city_a) for _ in range(3))
        with pytest.raises(ValidationError, match="selbst"):
            ka.do_replace_lesson(a, replacement=a, acting_user=red)
        ka.do_replace_lesson(a, replacement=b, acting_user=red)   # a ersetzt durch b
        ka.do_replace_lesson(b, replacement=c, acting_user=red)   # b ersetzt durch c
        c.refresh_from_db()
        # c durch a would close the circle a → b → c → a. (a is closed anyway; reopen it to test the chain check.)
        a.refresh_from_db()
        a.status = LessonStatus.ERKANNT
        a.save()
        with pytest.raises(ValidationError, match="Zirkulär"):
            ka.do_replace_lesson(c, replacement=a, acting_user=red)
        c.refresh_from_db()
        assert c.status == LessonStatus.ERKANNT and c.replaced_by is None
        b.refresh_from_db()
        assert b.status == LessonStatus.ERSETZT and b.replaced_by == c

    def test_replacement_must_be_readable(self, city_a, city_b, people):
        lesson = f.LessonFactory(municipality=city_a)
        hidden = f.LessonFactory(municipality=city_b, visibility="intern")
        with pytest.raises(ValidationError, match="lesen dürfen"):
            ka.do_replace_lesson(lesson, replacement=hidden, acting_user=people[Role.REDAKTION])
        lesson.refresh_from_db()
        assert lesson.status == LessonStatus.ERKANNT and lesson.replaced_by is None and not audit(lesson)

    def test_archive_needs_reason(self, city_a, people):
        lesson = f.LessonFactory(municipality=city_a)
        with pytest.raises(ValidationError):
            ka.do_archive_lesson(lesson, reason="", acting_user=people[Role.REDAKTION])
        ka.do_archive_lesson(lesson, reason="Überholt durch neue Landesregelung.", acting_user=people[Role.REDAKTION])
        lesson.refresh_from_db()
        assert lesson.status == LessonStatus.ARCHIVIERT


def test_lesson_page_shows_lifecycle_and_history(client, city_a, people):
    lesson = f.LessonFactory(municipality=city_a, title="Reserve planen")
    ka.do_endorse_lesson(lesson, note="Im Stab besprochen", acting_user=people[Role.REDAKTION])
    client.force_login(people[Role.REDAKTION])
    body = client.get(lesson.get_absolute_url()).content.decode()
    assert "Lernkreislauf" in body and "Verlauf (1)" in body and "bestätigt" in body
    assert f"/lernen/erkenntnisse/{lesson.pk}/status/archive/" in body
    assert "/lernen/massnahmen/neu/?erkenntnis=" in body


def test_transition_views(client, city_a, people):
    lesson = f.LessonFactory(municipality=city_a, status=LessonStatus.UEBERPRUEFT)
    client.force_login(people[Role.REDAKTION])
    url = f"/lernen/erkenntnisse/{lesson.pk}/status/embed/"
    response = client.post(url, {"recheck_due": (TODAY - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and "in der Zukunft" in response.content.decode()
    response = client.post(url, {"recheck_due": (TODAY + dt.timedelta(days=200)).isoformat()})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.VERANKERT
    assert client.get(f"/lernen/erkenntnisse/{lesson.pk}/status/unsinn/").status_code == 404


def test_observation_views(client, city_a, people):
    obs = f.ObservationFactory(municipality=city_a, text="Damals kurz.")
    client.force_login(people[Role.MITWIRKENDE])
    page = client.get(f"/lernen/beobachtungen/{obs.pk}/einreichen/").content.decode()
    assert "Trotzdem einreichen" in page and "Wörter" in page
    assert client.post(f"/lernen/beobachtungen/{obs.pk}/einreichen/").status_code == 302
    response = client.post(f"/lernen/beobachtungen/{obs.pk}/erkenntnis/", {"title": "Neue Erkenntnis", "finding": "Befund", "cause": ""})
    assert response.status_code == 302
    from krisenwissen.knowledge.models import Lesson

    lesson = Lesson.objects.get(title="Neue Erkenntnis")
    assert list(lesson.observations.all()) == [obs] and lesson.status == LessonStatus.ERKANNT


def test_submit_notifies_moderation_and_rejection_the_author(city_a, people):
    from krisenwissen.core.models import Notification

    author = people[Role.MITWIRKENDE]
    obs = ka.do_create_item(__import__("krisenwissen.knowledge.models", fromlist=["Observation"]).Observation,
                            municipality=city_a, fields={"kind": "erfahrung", "text": "Text"}, acting_user=author)
    ka.do_submit_observation(obs, acting_user=author)
    moderators = set(Notification.objects.filter(subject="Beobachtung zur Prüfung eingereicht").values_list("recipient__username", flat=True))
    assert moderators == {f"{Role.MODERATION}-a", f"{Role.REDAKTION}-a"}
    ka.do_review_observation(obs, accept=False, reason="Zu knapp.", acting_user=people[Role.MODERATION])
    note = Notification.objects.get(subject="Beobachtung abgelehnt")
    assert note.recipient == author and "Zu knapp." in note.body


def test_review_queue(client, city_a, people):
    obs = f.ObservationFactory(municipality=city_a, status=ObservationStatus.EINGEREICHT, text="Wartet auf Prüfung")
    client.force_login(people[Role.MODERATION])
    body = client.get("/lernen/beobachtungen/eingereicht/").content.decode()
    assert "Wartet auf Prüfung" in body and f"/lernen/beobachtungen/{obs.pk}/pruefen/" in body
    client.force_login(people[Role.MITWIRKENDE])
    assert client.get("/lernen/beobachtungen/eingereicht/").status_code == 403


def test_replacement_links_name_only_readable_lessons(client, city_a, city_b, people):
    """A public lesson replaced by (or replacing) an internal lesson of another city must not name it."""
    public_old = f.LessonFactory(municipality=city_a, title="Alte öffentliche Erkenntnis", visibility="oeffentlich")
    secret_new = f.LessonFactory(municipality=city_b, title="Geheime Nachfolgerin", visibility="intern")
    public_old.status, public_old.replaced_by = LessonStatus.ERSETZT, secret_new   # e.g. a member of both cities replaced it
    public_old.save()
    secret_old = f.LessonFactory(municipality=city_b, title="Geheime Vorgängerin", visibility="intern",
                                 status=LessonStatus.ERSETZT)
    public_new = f.LessonFactory(municipality=city_a, title="Neue öffentliche Erkenntnis", visibility="oeffentlich")
    secret_old.replaced_by = public_new
    secret_old.save()
    for user in (None, people[Role.LESER]):
        if user is not None:
            client.force_login(user)
        old_page = client.get(public_old.get_absolute_url()).content.decode()
        new_page = client.get(public_new.get_absolute_url()).content.decode()
        assert "Geheime Nachfolgerin" not in old_page and secret_new.get_absolute_url() not in old_page
        assert "Geheime Vorgängerin" not in new_page and secret_old.get_absolute_url() not in new_page
    f.LessonFactory(municipality=city_a, title="Öffentliche Vorgängerin", visibility="oeffentlich",
                    status=LessonStatus.ERSETZT, replaced_by=public_new)
    assert "Öffentliche Vorgängerin" in client.get(public_new.get_absolute_url()).content.decode()
