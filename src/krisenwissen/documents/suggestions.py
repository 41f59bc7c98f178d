"""Suggestions per passage for turning it into an observation (computed after extraction).

- theme: the code-book codes most similar to the passage (TF-IDF cosine, ``search.similarity``);
- crisis and phase: from date mentions ("12.03.2020", "März 2020") within a known phase's dates;
- kind: Herausforderung / Gelingensfaktor / Verbesserungspotenzial by cue words, Zitat for quotations;
- municipalities (the platform's directory) and departments (department functions) mentioned.

A suggestion is a proposal only: the Redaktion accepts or edits it on the passage.
"""

from __future__ import annotations

import datetime as dt
import re

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.knowledge.models import Code, Phase
from krisenwissen.search import similarity

MONTHS = {"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
          "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12}
_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})\b")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+((?:19|20)\d{2})\b", re.IGNORECASE)

CUES = {
    "herausforderung": ("problem", "schwierig", "fehlte", "fehlten", "mangel", "engpass", "herausforderung",
                        "überlast", "unklar", "nicht erreichbar", "verzöger", "konflikt", "kritisch"),
    "gelingensfaktor": ("bewährt", "gelungen", "gelang", "erfolgreich", "gut funktioniert", "hilfreich",
                        "positiv", "schnell umgesetzt", "zuverlässig"),
    "verbesserungspotenzial": ("sollte", "sollten", "verbesser", "künftig", "zukünftig", "empfehl", "müsste",
                               "wäre wünschenswert", "optimier"),
}
DEPARTMENT_CUES = {
    DepartmentFunction.KRISENSTAB: ("krisenstab", "verwaltungsstab", "führungsstab"),
    DepartmentFunction.GESUNDHEITSAMT: ("gesundheitsamt", "gesundheitsämter", "gesundheitsdienst"),
    DepartmentFunction.ORDNUNGSAMT: ("ordnungsamt", "ordnungsbehörde"),
    DepartmentFunction.FEUERWEHR: ("feuerwehr",),
    DepartmentFunction.BEVOELKERUNGSSCHUTZ: ("katastrophenschutz", "bevölkerungsschutz"),
    DepartmentFunction.PRESSE: ("pressestelle", "öffentlichkeitsarbeit", "pressekonferenz"),
    DepartmentFunction.SOZIALAMT: ("sozialamt",),
    DepartmentFunction.PERSONALAMT: ("personalamt", "personalrat"),
    DepartmentFunction.SCHULVERWALTUNG: ("schulamt", "schulverwaltung", "schulträger"),
}


def dates_in(text: str) -> list[dt.date]:
    found: list[dt.date] = []
    for day, month, year in _DATE.findall(text):
        try:
            found.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    for month, year in _MONTH_YEAR.findall(text):
        found.append(dt.date(int(year), MONTHS[month.lower()], 15))
    return found


def kind_of(text: str, quote: bool) -> str:
    if quote:
        return "zitat"
    lowered = text.lower()
    scores = {kind: sum(lowered.count(cue) for cue in cues) for kind, cues in CUES.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else ""


class Context:
    """Data read once per document: codes with their term vectors, phases, municipality names."""

    def __init__(self):
        codes = list(Code.objects.select_related("scheme").only("id", "name", "description", "scheme__name"))
        code_terms = [similarity.terms(f"{c.name} {c.name} {c.description}") for c in codes]
        self.idf = similarity.idf(code_terms)
        self.codes = [(c, similarity.vector(t, self.idf)) for c, t in zip(codes, code_terms, strict=True) if t]
        self.phases = list(Phase.objects.select_related("crisis").exclude(start__isnull=True))
        names = {}
        for municipality in Municipality.objects.only("id", "name"):
            name = municipality.name.strip()
            if len(name) >= 3:
                names[name.lower()] = municipality
        self.municipalities = names
        self.pattern = (re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b",
                                   re.IGNORECASE) if names else None)

    def themes(self, text: str) -> list[dict]:
        passage_vector = similarity.vector(similarity.terms(text), self.idf, unknown_weight=0.0)
        scored = sorted(((similarity.cosine(passage_vector, vec), code) for code, vec in self.codes),
                        key=lambda pair: -pair[0])
        return [{"id": code.pk, "name": code.name, "score": round(score, 3)} for score, code in scored[:3] if score > 0.05]

    def phase(self, text: str) -> dict | None:
        for date in dates_in(text):
            for phase in self.phases:
                if phase.start <= date and (phase.end is None or date <= phase.end):
                    return {"crisis_id": phase.crisis_id, "crisis": phase.crisis.title, "phase_id": phase.pk,
                            "phase": phase.name, "date": date.isoformat()}
        return None

    def places(self, text: str) -> list[dict]:
        if self.pattern is None:
            return []
        seen = {}
        for match in self.pattern.finditer(text):
            municipality = self.municipalities.get(match.group(1).lower())
            if municipality is not None:
                seen[municipality.pk] = {"id": municipality.pk, "name": municipality.name}
        return list(seen.values())[:5]


def departments(text: str) -> list[dict]:
    lowered = text.lower()
    return [{"key": str(key), "name": str(key.label)} for key, cues in DEPARTMENT_CUES.items()
            if any(cue in lowered for cue in cues)]


def suggest(text: str, quote: bool, context: Context) -> dict:
    suggestion = {"kind": kind_of(text, quote), "themes": context.themes(text), "departments": departments(text),
                  "municipalities": context.places(text)}
    phase = context.phase(text)
    if phase:
        suggestion.update(phase)
    return suggestion


def suggest_for_passages(document, passages) -> None:
    context = Context()
    for passage in passages:
        passage.suggestions = suggest(passage.text, passage.quote, context)
