"""Template content is validated with German messages that name the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from krisenwissen.stab.forms import TemplateEditForm
from krisenwissen.stab.templates_schema import validate_template_data

GOOD = {"functions": [{"code": "leitung", "name": "Leitung", "group": "leitung"}]}


def messages(data):
    with pytest.raises(ValidationError) as info:
        validate_template_data(data)
    return " | ".join(info.value.messages)


def test_minimal_template_is_normalised():
    out = validate_template_data(GOOD)
    assert out["functions"][0]["deputies"] == 1 and out["meeting_rhythm_hours"] == 24


@pytest.mark.parametrize("data, expected", [
    ([], "Zuordnung"),
    ({}, "Funktionen: Angabe fehlt"),
    ({"functions": []}, "Funktionen: braucht mindestens einen Eintrag"),
    ({"functions": [{"code": "Leitung Stab", "name": "x"}]}, "Funktionen › Nr. 1 › Kürzel"),
    ({"functions": [{"code": "a", "name": ""}]}, "Funktionen › Nr. 1 › Bezeichnung: darf nicht leer sein"),
    ({"functions": [{"code": "a", "name": "A", "group": "zentrale"}]}, "unbekannte Gruppe „zentrale“"),
    ({"functions": [{"code": "a", "name": "A", "deputies": 99}]}, "Vertretungen: ist zu groß"),
    ({"functions": [{"code": "a", "name": "A"}, {"code": "a", "name": "B"}]}, "Kürzel mehrfach vergeben: a"),
    ({**GOOD, "teams": [{"name": "T", "members": ["s9"]}]}, "Fachteam „T“ nennt unbekannte Funktionen: s9"),
    ({**GOOD, "agenda": [{"title": "Lage", "function": "s2"}]}, "unbekannte Funktion s2"),
    ({**GOOD, "hazard": "Meteor"}, "Gefahrenart: Die Gefahrenart „Meteor“ ist unbekannt"),
    ({**GOOD, "meeting_rhythm_hours": "oft"}, "Besprechungsrhythmus: muss eine ganze Zahl sein"),
    ({**GOOD, "personen": ["Frau Müller"]}, "personen: unbekanntes Feld"),
    ({"functions": [{"code": "a", "name": "A", "holder": "Herr Meier"}]}, "holder: unbekanntes Feld"),
    ({"functions": [{"code": f"f{i}", "name": "x"} for i in range(500)]}, "Funktionen: hat zu viele Einträge"),
])
def test_bad_content_gets_a_german_message_naming_the_field(data, expected):
    assert expected in messages(data)


@pytest.mark.parametrize("text, expected", [
    ("functions: [\n", "kein gültiger strukturierter Text (Zeile"),
    ("- nur eine Liste", "Zuordnung"),
    ("x" * 100_001, "zu lang"),
    ("functions:\n  - code: a\n    name: A\n    group: nix\n", "unbekannte Gruppe"),
])
def test_the_edit_form_turns_bad_text_into_field_errors(text, expected):
    form = TemplateEditForm({"name": "Vorlage", "kind": "verwaltungsstab", "content": text})
    assert not form.is_valid()
    assert expected in " ".join(form.errors["content"])


def test_the_edit_form_round_trips_a_shipped_template(db):
    from .helpers import shipped

    template = shipped("stromausfall")
    form = TemplateEditForm({"name": template.name, "kind": template.kind, "content": TemplateEditForm.dump(template.data)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["content"] == template.data
