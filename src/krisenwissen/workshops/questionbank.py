"""The seeded question bank: PanReflex guiding questions, after-action questions and questions
per hazard (pure data and functions, no Django).

Phase keys: ``deskriptiv``, ``analytisch``, ``transfer``, ``ideen``. Sources: ``leitfrage``
(guiding questions of the Reflexionsraum "Kommunales Krisenmanagement", paraphrased) and
``after_action`` (well-known after-action-review questions).

Hazards: ``hochwasser`` (flood, heavy rain), ``hitze`` (heat), ``stromausfall`` (power cut,
energy shortage), ``cyber`` (IT security incident), ``pandemie``. A workshop's hazard is
detected from its crisis (hazard type, title) and its own title and focus
(:func:`detect_hazard`); its agenda is built from the hazard's questions and the workshop
kind (:func:`agenda_for`): a hot debrief ("Nachbesprechung", "Zwischenbilanz") follows the
after-action review, a Reflexionsraum the PanReflex guiding questions.
"""

from __future__ import annotations

import re

QUESTIONS: list[tuple[str, str, str]] = [
    # (phase kind, source, text) – hazard-neutral questions and the PanReflex set (pandemic)
    ("deskriptiv", "leitfrage", "Wie haben Sie die Pandemie vor Ort erlebt?"),
    ("deskriptiv", "leitfrage", "Welche Ereignisse, Phasen, Erlasse oder Regeln haben am tiefsten in Ihre Arbeit eingegriffen?"),
    ("deskriptiv", "leitfrage", "Wie haben Sie sich damals gefühlt?"),
    ("deskriptiv", "leitfrage", "Welche Schwerpunkte sehen Sie im Rückblick?"),
    ("deskriptiv", "after_action", "Was war geplant, und was ist tatsächlich geschehen?"),
    ("analytisch", "leitfrage", "Was war anders als bei anderen Krisen, und warum?"),
    ("analytisch", "leitfrage", "Wie haben Sie das Krisenmanagement organisiert, um vor die Lage zu kommen?"),
    ("analytisch", "leitfrage", "Welche Herausforderungen hatten Sie, und wie haben sie sich verändert?"),
    ("analytisch", "leitfrage", "Welche neuen Ansätze haben Sie gefunden?"),
    ("analytisch", "after_action", "Was lief gut, warum?"),
    ("analytisch", "after_action", "Was lief weniger gut, warum?"),
    ("analytisch", "after_action", "Wer hat was gemacht, und wer hat gefehlt?"),
    ("transfer", "leitfrage", "Was würden Sie wieder so machen?"),
    ("transfer", "leitfrage", "Was würden Sie anders machen?"),
    ("transfer", "after_action", "Was sollten wir beibehalten, was anders machen?"),
    ("transfer", "after_action", "Was brauchen wir, um für die nächste Krise besser vorbereitet zu sein?"),
    ("transfer", "after_action", "Wer sollte von unseren Erkenntnissen erfahren?"),
    ("ideen", "after_action", "Welche konkrete Verbesserung schlagen Sie vor?"),
    ("ideen", "after_action", "Was ist der erste Schritt, und wer könnte ihn gehen?"),
    # added with the hazard sets (hazard-neutral)
    ("deskriptiv", "leitfrage", "Wie haben Sie die Krise vor Ort erlebt?"),
    ("deskriptiv", "leitfrage", "Welche Ereignisse und Entscheidungen haben am tiefsten in Ihre Arbeit eingegriffen?"),
    ("transfer", "after_action", "Was müssen wir ab sofort anders machen, solange die Lage andauert?"),
]

# Hazard-specific questions per hazard and phase kind, in the order an agenda takes them.
HAZARD_QUESTIONS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "pandemie": {
        "deskriptiv": [("leitfrage", QUESTIONS[0][2]), ("leitfrage", QUESTIONS[1][2])],
        "analytisch": [("leitfrage", "Wie hat die Zusammenarbeit mit Gesundheitsamt, Land und Bund funktioniert?")],
        "transfer": [("after_action", "Was brauchen wir, um bei der nächsten Pandemie Verwaltung und Versorgung aufrechtzuerhalten?")],
    },
    "hochwasser": {
        "deskriptiv": [("leitfrage", "Wie haben Sie das Hochwasser oder den Starkregen vor Ort erlebt?"),
                       ("leitfrage", "Wann und wie haben Sie Warnungen und Pegelstände erhalten, und wie wurden sie weitergegeben?")],
        "analytisch": [("leitfrage", "Wie haben Warnung der Bevölkerung und Evakuierung funktioniert?"),
                       ("leitfrage", "Wie lief die Zusammenarbeit mit Feuerwehr, THW, Hilfsorganisationen und Spontanhelfenden?")],
        "transfer": [("after_action", "Was brauchen wir beim nächsten Hochwasser zuerst (Warnwege, Sandsäcke, Notunterkünfte)?")],
    },
    "hitze": {
        "deskriptiv": [("leitfrage", "Wie haben Sie die Hitzewelle vor Ort erlebt?"),
                       ("leitfrage", "Wann haben Sie gemerkt, dass gehandelt werden muss, und wie kamen die Hitzewarnungen an?")],
        "analytisch": [("leitfrage", "Wie haben wir vulnerable Gruppen erreicht (Ältere, Pflegebedürftige, Wohnungslose, Kinder)?"),
                       ("leitfrage", "Wie haben Hitzeschutzmaßnahmen in unseren Einrichtungen und für die Beschäftigten gewirkt?")],
        "transfer": [("after_action", "Was gehört in unseren Hitzeaktionsplan?")],
    },
    "stromausfall": {
        "deskriptiv": [("leitfrage", "Wie haben Sie den Stromausfall vor Ort erlebt?"),
                       ("leitfrage", "Welche Dienste und Einrichtungen fielen zuerst aus, und wann haben Sie davon erfahren?")],
        "analytisch": [("leitfrage", "Wie waren Krisenstab und Bevölkerung ohne Strom und Mobilfunk erreichbar (Notstrom, Anlaufstellen)?"),
                       ("leitfrage", "Wie lange hat die Notstromversorgung gereicht, und was fehlte?")],
        "transfer": [("after_action", "Was müssen wir für einen mehrtägigen Stromausfall vorbereiten?")],
    },
    "cyber": {
        "deskriptiv": [("leitfrage", "Wie haben Sie den IT-Sicherheitsvorfall vor Ort erlebt?"),
                       ("leitfrage", "Wann und wie wurde der Angriff bemerkt und gemeldet?")],
        "analytisch": [("leitfrage", "Welche Leistungen für die Bürgerinnen und Bürger konnten wir ohne IT weiter erbringen, und wie?"),
                       ("leitfrage", "Wie lief die Zusammenarbeit mit IT-Dienstleister, BSI, Polizei und Datenschutzaufsicht?")],
        "transfer": [("after_action", "Was brauchen wir für den Notbetrieb ohne IT (Notfallhandbuch, Papierverfahren, Datensicherung)?")],
    },
}

HAZARD_LABELS = {"hochwasser": "Hochwasser und Starkregen", "hitze": "Hitze", "stromausfall": "Stromausfall",
                 "cyber": "Cyberangriff", "pandemie": "Pandemie"}

# Word stems that name a hazard (matched at the start of a word, case-insensitive).
HAZARD_KEYWORDS: dict[str, tuple[str, ...]] = {
    "hochwasser": ("hochwasser", "starkregen", "flut", "sturzflut", "überflutung", "ueberflutung", "überschwemmung",
                   "ueberschwemmung", "pegel", "unwetter"),
    "hitze": ("hitze", "dürre", "duerre", "trockenheit"),
    "stromausfall": ("stromausfall", "strommangel", "blackout", "energie", "gasmangel", "stromversorgung", "netzausfall"),
    "cyber": ("cyber", "it-angriff", "it-sicherheit", "it-ausfall", "hacker", "ransomware", "schadsoftware"),
    "pandemie": ("pandemie", "covid", "corona", "sars-cov", "epidemie", "infektion", "influenza"),
}

PHASES_BY_KIND: dict[str, list[str]] = {
    "reflexionsraum": ["deskriptiv", "analytisch", "transfer"],
    "nachbesprechung": ["deskriptiv", "analytisch", "transfer"],
    "zwischenbilanz": ["deskriptiv", "analytisch", "transfer"],
    "innovationsworkshop": ["deskriptiv", "analytisch", "ideen", "transfer"],
}

HOT_DEBRIEF_KINDS = frozenset({"nachbesprechung", "zwischenbilanz"})

# The PanReflex agenda of the pandemic Reflexionsraum (the demo's workshop).
DEFAULT_AGENDA: dict[str, list[str]] = {
    "deskriptiv": [QUESTIONS[0][2], QUESTIONS[1][2], QUESTIONS[2][2]],
    "analytisch": [QUESTIONS[6][2], QUESTIONS[9][2], QUESTIONS[10][2]],
    "transfer": [QUESTIONS[12][2], QUESTIONS[13][2]],
    "ideen": [QUESTIONS[17][2], QUESTIONS[18][2]],
}

_GENERIC_EXPERIENCE = QUESTIONS[19][2]
_GENERIC_EVENTS = QUESTIONS[20][2]
_FEELINGS = QUESTIONS[2][2]
_AAR_PLANNED = QUESTIONS[4][2]
_AAR_GOOD, _AAR_BAD, _AAR_WHO = QUESTIONS[9][2], QUESTIONS[10][2], QUESTIONS[11][2]
_AAR_KEEP, _AAR_NEED, _AAR_TELL = QUESTIONS[14][2], QUESTIONS[15][2], QUESTIONS[16][2]
_AAR_NOW = QUESTIONS[21][2]


def bank() -> list[tuple[str, str, str, str]]:
    """Every question of the bank: (phase kind, source, text, hazard or "" when hazard-neutral)."""
    hazard_of = {text: hazard for hazard, phases in HAZARD_QUESTIONS.items()
                 for questions in phases.values() for _source, text in questions}
    out = [(phase, source, text, hazard_of.get(text, "")) for phase, source, text in QUESTIONS]
    known = {text for _p, _s, text in QUESTIONS}
    for hazard, phases in HAZARD_QUESTIONS.items():
        for phase, questions in phases.items():
            out += [(phase, source, text, hazard) for source, text in questions if text not in known]
    return out


def detect_hazard(*texts: str | None) -> str:
    """The hazard named first in ``texts`` (e.g. the crisis's hazard type, the crisis title, the
    workshop title and focus), or "" when none is named."""
    for text in texts:
        words = (text or "").lower()
        for hazard, stems in HAZARD_KEYWORDS.items():
            if any(re.search(r"(?<![\w-])" + re.escape(stem), words) for stem in stems):
                return hazard
    return ""


def texts_for(hazard: str) -> set[str]:
    """The bank questions that fit a workshop on ``hazard``: hazard-neutral ones and its own
    (every question when the hazard is unknown)."""
    return {text for _phase, _source, text, h in bank() if not hazard or h in ("", hazard)}


def _hz(hazard: str, phase: str, n: int) -> list[str]:
    return [text for _source, text in HAZARD_QUESTIONS.get(hazard, {}).get(phase, [])][:n]


def agenda_for(kind: str, hazard: str) -> dict[str, list[str]]:
    """The guiding questions a new workshop starts with, per phase kind of its format."""
    phases = PHASES_BY_KIND.get(kind, PHASES_BY_KIND["reflexionsraum"])
    if kind in HOT_DEBRIEF_KINDS:
        agenda = {
            "deskriptiv": (_hz(hazard, "deskriptiv", 1) or [_GENERIC_EXPERIENCE]) + [_AAR_PLANNED],
            "analytisch": [_AAR_GOOD, _AAR_BAD, _AAR_WHO] + _hz(hazard, "analytisch", 1),
            "transfer": ([_AAR_NOW] if kind == "zwischenbilanz" else [_AAR_KEEP])
                        + (_hz(hazard, "transfer", 1) or [_AAR_NEED]) + [_AAR_TELL],
        }
    else:
        agenda = {
            "deskriptiv": (_hz(hazard, "deskriptiv", 2) or [_GENERIC_EXPERIENCE, _GENERIC_EVENTS]) + [_FEELINGS],
            "analytisch": DEFAULT_AGENDA["analytisch"] + _hz(hazard, "analytisch", 1),
            "transfer": DEFAULT_AGENDA["transfer"] + _hz(hazard, "transfer", 1),
        }
    agenda["ideen"] = list(DEFAULT_AGENDA["ideen"])
    return {phase: agenda[phase] for phase in phases}


# ------------------------------------------------------------------------------------------
# Which section of the Synthesebericht a question feeds (see workshops.synthesis.SECTIONS)
# ------------------------------------------------------------------------------------------

# Section keys: "phasen", "herausforderungen", "geholfen", "strukturen", "belastung",
# "vergleich", "potenziale", "lernen". A card goes to the section its question asks for; the
# cluster and the card's words refine that only where the question leaves it open.
QUESTION_SECTIONS: dict[str, str] = {
    QUESTIONS[0][2]: "phasen",              # Wie haben Sie die Pandemie vor Ort erlebt?
    QUESTIONS[1][2]: "phasen",              # Welche Ereignisse … am tiefsten eingegriffen?
    QUESTIONS[2][2]: "belastung",           # Wie haben Sie sich damals gefühlt?
    QUESTIONS[3][2]: "phasen",              # Welche Schwerpunkte sehen Sie im Rückblick?
    QUESTIONS[4][2]: "herausforderungen",   # Was war geplant, und was ist tatsächlich geschehen?
    QUESTIONS[5][2]: "vergleich",           # Was war anders als bei anderen Krisen, und warum?
    QUESTIONS[6][2]: "strukturen",          # Wie haben Sie das Krisenmanagement organisiert …?
    QUESTIONS[7][2]: "herausforderungen",   # Welche Herausforderungen hatten Sie …?
    QUESTIONS[8][2]: "geholfen",            # Welche neuen Ansätze haben Sie gefunden?
    QUESTIONS[9][2]: "geholfen",            # Was lief gut, warum?
    QUESTIONS[10][2]: "herausforderungen",  # Was lief weniger gut, warum?
    QUESTIONS[11][2]: "strukturen",         # Wer hat was gemacht, und wer hat gefehlt?
    QUESTIONS[12][2]: "lernen",             # Was würden Sie wieder so machen?
    QUESTIONS[13][2]: "potenziale",         # Was würden Sie anders machen?
    QUESTIONS[14][2]: "lernen",             # Was sollten wir beibehalten, was anders machen?
    QUESTIONS[15][2]: "potenziale",         # Was brauchen wir … besser vorbereitet …?
    QUESTIONS[16][2]: "lernen",             # Wer sollte von unseren Erkenntnissen erfahren?
    QUESTIONS[17][2]: "potenziale",         # Welche konkrete Verbesserung schlagen Sie vor?
    QUESTIONS[18][2]: "potenziale",         # Was ist der erste Schritt …?
    QUESTIONS[19][2]: "phasen",             # Wie haben Sie die Krise vor Ort erlebt?
    QUESTIONS[20][2]: "phasen",             # Welche Ereignisse und Entscheidungen …?
    QUESTIONS[21][2]: "potenziale",         # Was müssen wir ab sofort anders machen …?
}
# The hazard questions: descriptive ones tell the course of the crisis, analytic ones ask how
# the organisation worked, transfer ones what is needed.
_SECTION_BY_PHASE = {"deskriptiv": "phasen", "analytisch": "strukturen", "transfer": "potenziale", "ideen": "potenziale"}
for _phases in HAZARD_QUESTIONS.values():
    for _phase, _questions in _phases.items():
        for _source, _text in _questions:
            QUESTION_SECTIONS.setdefault(_text, _SECTION_BY_PHASE[_phase])

# Stems of an own question's wording that say which section it asks for (first match wins).
_QUESTION_STEMS: list[tuple[str, tuple[str, ...]]] = [
    ("vergleich", ("anders als", "andere krise", "anderen krisen", "vergleich")),
    ("geholfen", ("lief gut", "geholfen", "gelungen", "bewährt", "neue ansätze", "stärken")),
    ("herausforderungen", ("weniger gut", "schlecht", "herausforder", "schwierig", "problem")),
    ("belastung", ("gefühlt", "belast", "überlast", "beschäftigte")),
    ("strukturen", ("organisiert", "struktur", "zusammenarbeit", "wer hat", "prozess")),
    ("lernen", ("wieder so", "beibehalten", "gelernt", "erfahren")),
    ("potenziale", ("anders machen", "brauchen", "verbesser", "vorschlag", "schritt", "bedarf")),
    ("phasen", ("erlebt", "ereignis", "phase", "schwerpunkt")),
]


def section_for_question(text: str, phase_kind: str = "") -> str:
    """The report section a guiding question feeds: from the bank, else from its wording,
    else from its workshop phase ("" when nothing tells)."""
    text = " ".join((text or "").split())
    if text in QUESTION_SECTIONS:
        return QUESTION_SECTIONS[text]
    low = text.lower()
    for section, stems in _QUESTION_STEMS:
        if any(stem in low for stem in stems):
            return section
    return _SECTION_BY_PHASE.get(phase_kind, "")
