"""The schema of a staff template's content (``StaffTemplate.data``), validated on every write.

A template names functions, never people: functions (code, name, group, deputies, first tasks,
checklist), topic teams, the standing agenda, the meeting rhythm, a function-based contact list
and the hazard key (``learning/data/hazards.json``) for the crisis-onset briefing.
Validation errors are German and name the field (``validate_template_data``).
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from .models import FunctionGroup

Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]

MAX_FUNCTIONS = 60
MAX_ITEMS = 40

FIELD_LABELS = {
    "functions": "Funktionen", "teams": "Fachteams", "agenda": "Tagesordnung", "meeting_rhythm_hours": "Besprechungsrhythmus",
    "contacts": "Kontaktliste", "hazard": "Gefahrenart", "code": "Kürzel", "name": "Bezeichnung", "group": "Gruppe",
    "deputies": "Vertretungen", "first_tasks": "Erste Aufgaben", "checklist": "Checkliste", "members": "Mitglieder",
    "function": "Funktion", "purpose": "Zweck", "title": "Titel", "minutes": "Minuten", "organisation": "Stelle",
    "channel": "Erreichbarkeit", "note": "Hinweis", "description": "Beschreibung", "kind": "Art des Stabes",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FunctionSpec(_Strict):
    code: Code
    name: Text
    group: str = FunctionGroup.STAENDIG
    deputies: int = Field(1, ge=0, le=5)
    first_tasks: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    checklist: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    optional: bool = False  # left out of a partial activation unless chosen

    @field_validator("group")
    @classmethod
    def _known_group(cls, value: str) -> str:
        if value not in FunctionGroup.values:
            raise ValueError(_("unbekannte Gruppe „%(value)s“ (erlaubt: %(allowed)s)") % {
                "value": value, "allowed": ", ".join(FunctionGroup.values)})
        return value


class TeamSpec(_Strict):
    name: Text
    purpose: LongText = ""
    members: list[Code] = Field(default_factory=list, max_length=MAX_FUNCTIONS)


class AgendaItem(_Strict):
    title: Text
    function: Code | None = None
    minutes: int = Field(5, ge=1, le=120)


class ContactSpec(_Strict):
    function: Text
    organisation: Text
    channel: Text
    note: LongText = ""


class TemplateData(_Strict):
    hazard: str = ""
    description: LongText = ""
    meeting_rhythm_hours: int = Field(24, ge=1, le=168)
    functions: list[FunctionSpec] = Field(min_length=1, max_length=MAX_FUNCTIONS)
    teams: list[TeamSpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    agenda: list[AgendaItem] = Field(default_factory=list, max_length=MAX_ITEMS)
    contacts: list[ContactSpec] = Field(default_factory=list, max_length=MAX_ITEMS)

    @field_validator("hazard")
    @classmethod
    def _known_hazard(cls, value: str) -> str:
        if not value:
            return value
        from krisenwissen.learning.selectors import resolve_hazard

        try:
            return resolve_hazard(value)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None

    @model_validator(mode="after")
    def _references(self):
        codes = [f.code for f in self.functions]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(_("Kürzel mehrfach vergeben: %(codes)s") % {"codes": ", ".join(duplicates)})
        known = set(codes)
        for team in self.teams:
            unknown = [m for m in team.members if m not in known]
            if unknown:
                raise ValueError(_("Fachteam „%(team)s“ nennt unbekannte Funktionen: %(codes)s") % {
                    "team": team.name, "codes": ", ".join(unknown)})
        for item in self.agenda:
            if item.function and item.function not in known:
                raise ValueError(_("Tagesordnungspunkt „%(title)s“ nennt die unbekannte Funktion %(code)s") % {
                    "title": item.title, "code": item.function})
        return self


_MESSAGES = {
    "missing": "Angabe fehlt",
    "extra_forbidden": "unbekanntes Feld",
    "string_type": "muss ein Text sein",
    "int_type": "muss eine ganze Zahl sein",
    "int_parsing": "muss eine ganze Zahl sein",
    "bool_type": "muss ja oder nein sein",
    "bool_parsing": "muss ja oder nein sein",
    "list_type": "muss eine Liste sein",
    "model_type": "muss eine Zuordnung (Feld: Wert) sein",
    "dict_type": "muss eine Zuordnung (Feld: Wert) sein",
    "string_too_short": "darf nicht leer sein",
    "string_too_long": "ist zu lang",
    "string_pattern_mismatch": "nur Kleinbuchstaben, Ziffern, - und _ (höchstens 40 Zeichen)",
    "too_short": "braucht mindestens einen Eintrag",
    "too_long": "hat zu viele Einträge",
    "greater_than_equal": "ist zu klein",
    "less_than_equal": "ist zu groß",
}


def _where(loc: tuple) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"Nr. {part + 1}")
        else:
            parts.append(FIELD_LABELS.get(str(part), str(part)))
    return " › ".join(parts)


def german_errors(exc: PydanticValidationError) -> list[str]:
    """One German message per error, naming the field (``Funktionen › Nr. 2 › Kürzel: Angabe fehlt``)."""
    out = []
    for err in exc.errors(include_url=False):
        if err["type"] == "value_error":
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            message = _(_MESSAGES.get(err["type"], "ungültiger Wert"))
        where = _where(tuple(err["loc"]))
        out.append(f"{where}: {message}" if where else message)
    return out


def validate_template_data(data) -> dict:
    """The normalised content, or a Django ``ValidationError`` with German messages naming the fields."""
    if not isinstance(data, dict):
        raise ValidationError(_("Der Inhalt der Vorlage muss eine Zuordnung (Feld: Wert) sein."), code="invalid")
    try:
        parsed = TemplateData.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(german_errors(exc), code="invalid") from None
    return parsed.model_dump(mode="json")
