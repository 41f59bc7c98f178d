"""Authoring training modules and scenario exercises from plain text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.accounts.models import Role
from krisenwissen.learning.authoring import format_questions, parse_injects, parse_questions
from krisenwissen.learning.models import ScenarioExercise, TrainingModule
from tests import factories as f

QUESTIONS = """? Wann wird die Rückführung geplant?
- Wenn die Lage vorbei ist. | Dann ist es zu spät.
+ Von Anfang an. | Richtig.

? Was hilft gegen Überlastung?
+ Rotation | Ja.
- Noch mehr Überstunden
"""


def test_questions_round_trip():
    questions, errors = parse_questions(QUESTIONS)
    assert errors == [] and [len(q.options) for q in questions] == [2, 2]
    assert questions[0].options[1] == {"text": "Von Anfang an.", "correct": True, "feedback": "Richtig."}
    again, _ = parse_questions(format_questions(type("Q", (), {"text": q.text, "options": q.options}) for q in questions))
    assert [q.options for q in again] == [q.options for q in questions]


def test_question_errors_have_lines():
    _, errors = parse_questions("+ ohne Frage\n? Frage\n- nur falsch\n- auch falsch\nunsinn")
    assert errors == [
        "Zeile 1: Antwort ohne Frage – beginnen Sie mit „? Frage“.",
        "Zeile 5: Zeilen beginnen mit „?“ (Frage), „+“ (richtige) oder „-“ (falsche Antwort).",
        "Zeile 2: Die Frage braucht mindestens eine richtige Antwort („+“).",
    ]


def test_injects():
    injects, errors = parse_injects("Woche 1 | Der Stab tritt zusammen. | Hinweis\n? Wer leitet?\nWoche 14 | Zwei fallen aus.")
    assert errors == [] and [i.time_label for i in injects] == ["Woche 1", "Woche 14"]
    assert injects[0].questions == ["Wer leitet?"] and injects[0].note == "Hinweis"
    assert parse_injects("? Frage zuerst\nnur Text")[1] == [
        "Zeile 1: Diskussionsfrage ohne Einspielung davor.",
        "Zeile 2: Erwartet „Zeitpunkt | Einspielung [| Hinweis für die Moderation]“.",
    ]
    assert parse_injects("")[1] == ["Bitte geben Sie mindestens eine Einspielung an."]


@given(st.text(max_size=500))
def test_parsers_never_crash(text):
    for parse in (parse_questions, parse_injects):
        items, errors = parse(text)
        assert not (items and errors)


@pytest.fixture
def editor(city_b):
    return f.MembershipFactory(municipality=city_b, role=Role.REDAKTION, user__username="red-b").user


def test_create_module_and_exercise(client, city_b, editor):
    lesson = f.LessonFactory(municipality=city_b, title="Reserve planen")
    client.force_login(editor)
    response = client.post("/lernen/fortbildung/neu/", {
        "municipality": city_b.pk, "visibility": "intern", "title": "Modul 2", "path": "Krise können", "order": 2,
        "summary": "", "text": "Absatz eins.\n\nAbsatz zwei.", "lessons": [lesson.pk], "questions": QUESTIONS})
    module = TrainingModule.objects.get(title="Modul 2")
    assert response.status_code == 302 and module.questions.count() == 2 and list(module.lessons.all()) == [lesson]
    page = client.get(f"/lernen/fortbildung/{module.pk}/bearbeiten/").content.decode()
    assert "? Wann wird die Rückführung geplant?" in page
    bad = client.post(f"/lernen/fortbildung/{module.pk}/bearbeiten/", {
        "visibility": "intern", "title": "Modul 2", "path": "Krise können", "order": 2, "text": "x", "questions": "? Nur Frage"})
    assert bad.status_code == 200 and "mindestens zwei Antworten" in bad.content.decode()
    assert TrainingModule.objects.get(pk=module.pk).questions.count() == 2
    response = client.post("/lernen/uebungen/neu/", {
        "municipality": city_b.pk, "visibility": "intern", "title": "Hitzewelle", "hazard_type": "Hitze",
        "starting_situation": "Vier Tage über 35 Grad.", "injects": "Tag 2 | Pflegeheime melden Engpässe.\n? Wer koordiniert?",
        "questions": "Was nehmen wir mit?", "lessons": [lesson.pk]})
    exercise = ScenarioExercise.objects.get(title="Hitzewelle")
    assert response.status_code == 302 and exercise.injects.count() == 1 and exercise.questions.count() == 2


def test_reader_cannot_author(client, city_b):
    reader = f.MembershipFactory(municipality=city_b, role=Role.MITWIRKENDE).user
    client.force_login(reader)
    assert client.get("/lernen/fortbildung/neu/").status_code == 403
    assert client.get("/lernen/uebungen/neu/").status_code == 403


def test_link_only_readable_items(city_b, city_c, editor):
    from django.core.exceptions import ValidationError

    from krisenwissen.learning.actions import do_save_module

    hidden = f.LessonFactory(municipality=city_c, visibility="intern")
    with pytest.raises(ValidationError, match="lesen dürfen"):
        do_save_module(None, municipality=city_b, fields={"title": "X", "text": "Y"}, lessons=[hidden], acting_user=editor)
