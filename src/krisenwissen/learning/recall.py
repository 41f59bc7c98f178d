"""Crisis-onset recall: ranking what the platform knows for a new crisis (pure, no Django).

Against "Krisendemenz": when a crisis starts, the crisis staff should see at its first
meeting what was learned before. Each candidate (lesson, action, good practice,
recommendation, training module) is scored from four signals, each in 0..1:

- hazard (weight 0.30): the item carries a hazard code of the crisis's hazard type
  (e.g. Energie → gefahren:energiemangellage, gefahren:stromausfall);
- onset themes (0.25): codes that matter at the start of *every* crisis according to the
  PanReflex findings (crisis staff for long crises, personnel and overload, processes incl.
  return to normal operations); two matching codes count fully;
- text (0.35): cosine similarity of the item's text with the crisis title, description and
  the hazard's and onset's keywords, normalised to the best candidate;
- evidence breadth (0.10): from how many cities the evidence comes (five count fully).

Lessons that are not yet verankert get +0.05 (an open risk the staff should know about);
archived and replaced items are not candidates. Ties break by kind order and title.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import similarity

WEIGHTS = {"hazard": 0.30, "onset": 0.25, "text": 0.35, "breadth": 0.10}
OPEN_LESSON_BONUS = 0.05
KIND_ORDER = ("lesson", "action", "goodpractice", "recommendation", "training")

HAZARD_PROFILES: dict[str, dict] = {
    "Energie": {
        "codes": ["gefahren:energiemangellage", "gefahren:stromausfall"],
        "keywords": "Energie Energiemangellage Gas Gasmangellage Gasversorgung Strom Stromausfall Wärme "
                    "Heizung Wärmeinseln Versorgung Vorsorge Notstrom",
    },
    "Pandemie": {
        "codes": ["gefahren:pandemie"],
        "keywords": "Pandemie Infektion Gesundheitsamt Quarantäne Impfung Test Schutzausrüstung",
    },
    "Starkregen": {
        "codes": ["gefahren:hochwasser-starkregen"],
        "keywords": "Starkregen Hochwasser Überflutung Evakuierung Warnung Pegel Sandsäcke",
    },
    "Hitze": {
        "codes": ["gefahren:hitze"],
        "keywords": "Hitze Hitzewelle Hitzeschutz vulnerable Gruppen Trinkwasser Kühlung",
    },
    "Stromausfall": {
        "codes": ["gefahren:stromausfall", "gefahren:energiemangellage"],
        "keywords": "Stromausfall Blackout Notstrom Versorgung Kommunikation Anlaufstellen",
    },
    "Flucht": {
        "codes": ["gefahren:flucht-migration"],
        "keywords": "Flucht Geflüchtete Migration Unterbringung Aufnahme Versorgung",
    },
}
ONSET_CODES = frozenset({
    "themen:krisenstab", "themen:personal", "themen:beschaeftigte", "faehigkeiten:prozesse", "faehigkeiten:personal",
})
ONSET_KEYWORDS = (
    "lang andauernde Lage Dauer Krisenstab Aktivierung Analyse Planung Personal Personalreserve "
    "Überlastung Leistungsträger Rückführung Krisenmodus Regelbetrieb Stabsarbeit beenden"
)


def profile_for(hazard_type: str) -> dict:
    """The profile of a hazard type (matched case-insensitively, also by prefix)."""
    wanted = (hazard_type or "").strip().lower()
    for name, profile in HAZARD_PROFILES.items():
        if wanted and (name.lower() == wanted or name.lower().startswith(wanted) or wanted.startswith(name.lower())):
            return profile
    return {"codes": [], "keywords": hazard_type or ""}


@dataclass
class Candidate:
    kind: str
    key: object
    title: str
    text: str
    codes: frozenset[str] = frozenset()
    cities: int = 0
    open_lesson: bool = False
    payload: object = None


@dataclass
class Ranked:
    candidate: Candidate
    score: float
    signals: dict[str, float] = field(default_factory=dict)


def rank(candidates: list[Candidate], *, title: str, hazard_type: str, description: str = "") -> list[Ranked]:
    """Score and sort the candidates for a crisis (highest first)."""
    profile = profile_for(hazard_type)
    hazard_codes = set(profile["codes"])
    query_text = " ".join([title, description, hazard_type, profile["keywords"], ONSET_KEYWORDS])
    corpus = [similarity.terms(f"{c.title}\n{c.text}") for c in candidates]
    query_terms = similarity.terms(query_text)
    vocabulary = {t for doc in corpus for t in doc}
    query_terms = similarity.expand_compounds(query_terms, vocabulary)
    weights = similarity.idf([query_terms, *corpus])
    query = similarity.vector(query_terms, weights)
    raw_text = [similarity.cosine(query, similarity.vector(tokens, weights)) for tokens in corpus]
    best = max(raw_text, default=0.0) or 1.0
    ranked = []
    for candidate, text_score in zip(candidates, raw_text, strict=True):
        signals = {
            "hazard": 1.0 if candidate.codes & hazard_codes else 0.0,
            "onset": min(1.0, len(candidate.codes & ONSET_CODES) / 2),
            "text": text_score / best,
            "breadth": min(1.0, candidate.cities / 5),
        }
        score = sum(WEIGHTS[k] * v for k, v in signals.items()) + (OPEN_LESSON_BONUS if candidate.open_lesson else 0.0)
        ranked.append(Ranked(candidate, round(score, 4), signals))
    ranked.sort(key=lambda r: (-r.score, KIND_ORDER.index(r.candidate.kind) if r.candidate.kind in KIND_ORDER else 99, r.candidate.title))
    return ranked


REASON_LABELS = {
    "hazard": "gleiche Gefahrenart",
    "onset": "Kernthema zu Krisenbeginn (Stab, Personal, Rückführung)",
    "text": "ähnlicher Text",
    "breadth": "in mehreren Städten belegt",
}


def reason_codes(signals: dict[str, float]) -> list[str]:
    """Which signals made an item relevant (keys of REASON_LABELS)."""
    out = []
    if signals.get("hazard"):
        out.append("hazard")
    if signals.get("onset", 0) >= 0.5:
        out.append("onset")
    if signals.get("text", 0) >= 0.5:
        out.append("text")
    if signals.get("breadth", 0) >= 0.6:
        out.append("breadth")
    return out


def reasons(signals: dict[str, float]) -> list[str]:
    """German explanation of why an item was proposed."""
    return [REASON_LABELS[code] for code in reason_codes(signals)]
