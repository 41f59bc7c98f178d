"""The demo training module and scenario exercise can be completed and run end to end."""

import pytest
from django.utils import timezone

from krisenwissen.knowledge.demo.loader import demo_uuid
from krisenwissen.knowledge.models import Lesson, LessonStatus, Observation
from krisenwissen.learning.models import (
    ExerciseRun,
    ModuleCompletion,
    ScenarioExercise,
    TrainingModule,
)


def test_module_completion_with_feedback(client, users):
    module = TrainingModule.objects.get(uuid=demo_uuid("training", "m01"))
    questions = list(module.questions.all())
    client.force_login(users["leser.essen"])
    page = client.get(module.get_absolute_url()).content.decode()
    assert "Selbstkontrolle" in page and "Handout als PDF" in page
    # First a wrong answer to question one, leaving the others out: feedback, not yet complete.
    wrong = next(n for n, o in enumerate(questions[0].options) if not o["correct"])
    page = client.post(module.get_absolute_url(), {f"q{questions[0].pk}": wrong}).content.decode()
    assert "Noch nicht richtig" in page and questions[0].options[wrong]["feedback"] in page
    assert ModuleCompletion.objects.get(user=users["leser.essen"]).completed_at is None
    answers = {f"q{q.pk}": next(n for n, o in enumerate(q.options) if o["correct"]) for q in questions}
    response = client.post(module.get_absolute_url(), answers, follow=True)
    completion = ModuleCompletion.objects.get(user=users["leser.essen"])
    assert completion.completed_at and completion.correct == completion.total == len(questions)
    assert "Modul abgeschlossen" in response.content.decode()
    assert "abgeschlossen" in client.get("/lernen/fortbildung/").content.decode()
    handout = client.get(f"/lernen/fortbildung/{module.pk}/handout/")
    assert handout.content.startswith(b"%PDF")


def test_anonymous_cannot_answer(client, demo_db):
    module = TrainingModule.objects.get(uuid=demo_uuid("training", "m01"))
    assert client.post(module.get_absolute_url(), {}).status_code == 403


def test_exercise_run_end_to_end(client, users):
    exercise = ScenarioExercise.objects.get(uuid=demo_uuid("exercise", "x01"))
    lesson = Lesson.objects.get(uuid=demo_uuid("lesson", "l03"))  # Köln, Maßnahmen in Umsetzung
    assert lesson.status == LessonStatus.IN_UMSETZUNG
    user = users["mitwirkende.koeln"]
    client.force_login(user)
    response = client.post(f"/lernen/uebungen/{exercise.pk}/starten/", {"municipality": lesson.municipality_id})
    run = ExerciseRun.objects.get()
    assert response["Location"] == f"/lernen/uebungen/durchlauf/{run.pk}/"
    injects = list(exercise.injects.all())
    for n, inject in enumerate(injects, 1):
        client.post(f"/lernen/uebungen/durchlauf/{run.pk}/weiter/")
        page = client.get(f"/lernen/uebungen/durchlauf/{run.pk}/").content.decode()
        assert inject.text in page and f"Einspielung {n} von {len(injects)}" in page
    assert "Woche 14" in page or any("Woche 14" in i.time_label for i in injects)
    before = Observation.objects.count()
    response = client.post(f"/lernen/uebungen/durchlauf/{run.pk}/befund/", {
        "text": "Die Checkliste zur Rückführung wurde angewendet; die Übergabe an die Fachbereiche klappte.",
        "as_observation": "on", "validates": lesson.pk})
    assert response.status_code == 302
    finding = run.findings.get()
    assert Observation.objects.count() == before + 1 and finding.observation.status == "entwurf"
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.UEBERPRUEFT and lesson.validation_method == "uebung"
    assert lesson.validated_on == timezone.localdate()
    client.post(f"/lernen/uebungen/durchlauf/{run.pk}/beenden/")
    run.refresh_from_db()
    assert run.finished_at is not None


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_booklet(client, users, fmt):
    client.force_login(users["leser.essen"])
    response = client.get(f"/lernen/empfehlungen/heft/?format={fmt}")
    assert response.status_code == 200 and len(response.content) > 1000


def test_booklet_endnotes_only_readable_evidence(users):
    from django.contrib.auth.models import AnonymousUser

    from krisenwissen.accounts.selectors import participating_municipalities
    from krisenwissen.knowledge import selectors as ks
    from krisenwissen.knowledge.models import Recommendation
    from krisenwissen.learning.documents import booklet_document

    anon = AnonymousUser()
    trails = [ks.recommendation_evidence(r, user=anon) for r in ks.visible(Recommendation, user=anon)]
    text = booklet_document(trails, total_cities=participating_municipalities().count()).plain_text()
    assert "Belege (Endnoten)" in text
    hidden = Observation.objects.exclude(visibility="oeffentlich").values_list("text", flat=True)
    assert not any(t in text for t in hidden)
