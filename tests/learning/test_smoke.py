"""Every learning page renders for the demo users (a smoke test of templates and views)."""

import pytest
from django.urls import reverse

from krisenwissen.knowledge import models as km
from krisenwissen.knowledge.demo.loader import demo_uuid
from krisenwissen.learning.models import Action, Framework, ScenarioExercise, TrainingModule


@pytest.mark.parametrize("username", ["admin", "mitwirkende.essen", "redaktion.dortmund", "leser.essen"])
def test_pages_render(client, users, username):
    client.force_login(users[username])
    lesson = km.Lesson.objects.get(uuid=demo_uuid("lesson", "l03"))
    observation = km.Observation.objects.filter(visibility="oeffentlich").first()
    crisis = km.Crisis.objects.first()
    urls = [
        reverse("learning:home"), reverse("learning:recurring"), reverse("learning:action_list"),
        reverse("learning:overview_index"), reverse("learning:booklet"), reverse("learning:assessment_list"),
        reverse("learning:module_list"), reverse("learning:exercise_list"),
        reverse("learning:crisis_briefing", args=[crisis.pk]),
        reverse("learning:module_detail", args=[TrainingModule.objects.get(uuid=demo_uuid("training", "m01")).pk]),
        reverse("learning:exercise_detail", args=[ScenarioExercise.objects.get(uuid=demo_uuid("exercise", "x01")).pk]),
        lesson.get_absolute_url(), observation.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    if username == "admin":
        for action in Action.objects.all():
            assert client.get(action.get_absolute_url()).status_code == 200
        assert client.get(reverse("learning:assessment_create", args=[Framework.objects.get().pk])).status_code == 200
        assert client.get(reverse("learning:crisis_create")).status_code == 200
        assert client.get(reverse("learning:action_create") + f"?erkenntnis={lesson.pk}").status_code == 200
