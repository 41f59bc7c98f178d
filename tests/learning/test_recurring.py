"""Recurring lessons: the platform says when something was identified before."""

import datetime as dt

from django.utils import timezone

from krisenwissen.knowledge.demo.loader import demo_uuid
from krisenwissen.knowledge.models import Lesson
from krisenwissen.learning.models import Action
from krisenwissen.learning.selectors import recurring_report, similar_lessons


def lesson(key):
    return Lesson.objects.get(uuid=demo_uuid("lesson", key))


def test_new_lesson_resembles_earlier(users):
    similar = similar_lessons(lesson("l18"), user=users["admin"])
    assert [s.lesson.title for s in similar] == ["Arbeitslast verteilen und Überlastung im Blick behalten"]


def test_page_links_earlier_lesson(client, users):
    client.force_login(users["admin"])
    body = client.get(lesson("l18").get_absolute_url()).content.decode()
    assert "Ähnliches wurde schon einmal erkannt" in body and lesson("l04").get_absolute_url() in body


def test_similarity_respects_permissions(users):
    # l04 is netzwerk (Essen); an anonymous reader must not be told about it.
    from django.contrib.auth.models import AnonymousUser

    assert similar_lessons(lesson("l18"), user=AnonymousUser()) == []


def test_report_lists_groups_without_embedded_action(client, users):
    groups = recurring_report(user=users["admin"])
    titles = [{x.title for x in g.lessons} for g in groups]
    assert {"Arbeitslast verteilen und Überlastung im Blick behalten",
            "Überlastung weniger Leistungsträger in lang andauernden Lagen vermeiden"} in titles
    # An action done for one of them removes the group (the lesson was acted upon).
    Action.objects.filter(lesson=lesson("l04")).update(status="erledigt", due=timezone.localdate() - dt.timedelta(days=1))
    titles = [{x.title for x in g.lessons} for g in recurring_report(user=users["admin"])]
    assert not any("Arbeitslast verteilen und Überlastung im Blick behalten" in t for t in titles)
    client.force_login(users["admin"])
    assert client.get("/lernen/wiederkehrend/?format=csv").status_code == 200


def test_deriving_a_lesson_warns_before_saving(client, users):
    from krisenwissen.knowledge.models import Observation

    observation = Observation.objects.get(uuid=demo_uuid("observation", "o47"))  # overload, Essen
    client.force_login(users["admin"])
    page = client.get(f"/lernen/beobachtungen/{observation.pk}/erkenntnis/").content.decode()
    assert "Ähnliches wurde schon erkannt" in page and lesson("l04").get_absolute_url() in page
