"""Crisis-onset recall: ranking what the platform knows for a new crisis (pure, no Django).

Against "Krisendemenz": when a crisis starts, the crisis staff should see at its first
meeting what was learned before — about *this* hazard first. The hazard vocabulary is
shipped data (``learning/data/hazards.json``): per hazard type its hazard codes, German
terms and compound parts, explicitly mapped synonyms and related hazard types.

Each candidate (lesson, action, good practice, recommendation, training module, scenario
template, observation) gets signals in 0..1:

- hazard (weight 0.40): the item carries a hazard code of the crisis's hazard type (1.0),
  or only a code of a closely related hazard (``secondary_codes``, 0.5);
- vocabulary (0.25): distinct hazard terms or compound parts in the item's text (three
  count fully), e.g. "Hochwasserlage", "Notstromaggregat", "Wärmeinseln";
- text (0.20): TF-IDF cosine of the item's text with the crisis's title, description and
  the hazard's terms, normalised to the best candidate;
- onset themes (0.08): codes that matter at the start of every crisis (crisis staff,
  personnel, processes); two count fully;
- evidence breadth (0.07): from how many cities the evidence comes (five count fully).

Hazard-specific relevance outweighs generic items by tiers: items with the hazard's own
code or at least two vocabulary hits ("specific") come first, then items with a related
hazard's code or one vocabulary hit ("related"), then the rest; within a tier the
weighted score decides. Observations weigh 0.6 of their score (raw evidence, the lessons
drawn from them come first). Lessons that are not yet verankert get +0.03. Ties break by
kind order and title.

When no candidate is specific, :func:`brief` says so (``specific == 0``): the caller shows
"Zu dieser Gefahrenart gibt es noch keine Erkenntnisse" above the nearest related
knowledge (related hazards' items first, then generic crisis-onset knowledge).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from krisenwissen.search import similarity
from krisenwissen.search.text import stem

VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "hazards.json"

WEIGHTS = {"hazard": 0.40, "vocabulary": 0.25, "text": 0.20, "onset": 0.08, "breadth": 0.07}
OPEN_LESSON_BONUS = 0.03
KIND_WEIGHT = {"observation": 0.6}
KIND_ORDER = ("lesson", "recommendation", "goodpractice", "action", "scenario", "training", "observation")
VOCABULARY_FULL = 3  # distinct hazard terms for a full vocabulary signal
SPECIFIC, RELATED, GENERIC = 2, 1, 0

ONSET_CODES = frozenset({
    "themen:krisenstab", "themen:personal", "themen:beschaeftigte", "faehigkeiten:prozesse", "faehigkeiten:personal",
})
ONSET_KEYWORDS = "Krisenstab Aktivierung Analyse Planung Personal Lage"


class UnknownHazard(ValueError):
    """A hazard type that is neither a known type nor one of its mapped synonyms."""

    def __init__(self, value: str, known: list[str]):
        super().__init__(value)
        self.value = value
        self.known = known


@dataclass(frozen=True)
class HazardProfile:
    name: str
    codes: frozenset[str]
    secondary_codes: frozenset[str]
    terms: frozenset[str]  # stems
    parts: tuple[str, ...]  # folded stems of compound parts
    keywords: str  # the terms as text (for the text similarity query)
    related: tuple[str, ...]


@lru_cache(maxsize=4)
def vocabulary(path: Path = VOCABULARY_FILE) -> dict[str, HazardProfile]:
    """The hazard profiles of the shipped vocabulary, by hazard type."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["hazards"]
    profiles = {}
    for name, entry in data.items():
        terms = frozenset(t for term in entry["terms"] for t in similarity.terms(term))
        parts = tuple(sorted({stem(p.lower()) for p in entry["parts"]}))
        profiles[name] = HazardProfile(
            name=name, codes=frozenset(entry["codes"]), secondary_codes=frozenset(entry["secondary_codes"]),
            terms=terms, parts=parts, keywords=" ".join(entry["terms"]), related=tuple(entry["related"]),
        )
    return profiles


@lru_cache(maxsize=4)
def _synonyms(path: Path = VOCABULARY_FILE) -> dict[str, str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))["hazards"]
    mapping = {}
    for name, entry in data.items():
        for word in (name, *entry["synonyms"]):
            mapping[_fold(word)] = name
    return mapping


def _fold(value: str) -> str:
    return " ".join((value or "").split()).casefold()


def known_hazards() -> list[str]:
    return list(vocabulary())


def resolve_hazard(value: str) -> str:
    """The hazard type named by ``value`` (a type or an explicitly mapped synonym, any case).

    Raises :class:`UnknownHazard` for anything else, including an empty value.
    """
    name = _synonyms().get(_fold(value))
    if name is None:
        raise UnknownHazard(value, known_hazards())
    return name


def profile_for(hazard_type: str) -> HazardProfile:
    """The profile of a hazard type or synonym; an empty profile for unknown values."""
    try:
        return vocabulary()[resolve_hazard(hazard_type)]
    except UnknownHazard:
        return HazardProfile(hazard_type or "", frozenset(), frozenset(), frozenset(), (), hazard_type or "", ())


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
    tier: int = GENERIC


@dataclass
class Briefing:
    hazard: str
    ranked: list[Ranked]
    specific: int  # how many candidates are specific to the hazard

    @property
    def has_specific(self) -> bool:
        return self.specific > 0


def vocabulary_hits(tokens: list[str], profile: HazardProfile, cache: dict[str, frozenset[str]] | None = None) -> set[str]:
    """Distinct hazard terms and compound parts found in the (stemmed) tokens."""
    cache = {} if cache is None else cache
    hits: set[str] = set()
    for token in set(tokens):
        found = cache.get(token)
        if found is None:
            found = cache[token] = frozenset(
                ({token} if token in profile.terms else set()) | {part for part in profile.parts if part in token})
        hits |= found
    return hits


def _related_codes(profile: HazardProfile) -> frozenset[str]:
    profiles = vocabulary()
    return frozenset(code for name in profile.related if name in profiles for code in profiles[name].codes)


def brief(candidates: list[Candidate], *, title: str, hazard_type: str, description: str = "") -> Briefing:
    """Score, tier and sort the candidates for a crisis (most relevant first)."""
    profile = profile_for(hazard_type)
    related_codes = _related_codes(profile)
    query_text = " ".join([title, description, profile.keywords, ONSET_KEYWORDS])
    corpus = [similarity.terms(f"{c.title}\n{c.text}") for c in candidates]
    vocab = {t for doc in corpus for t in doc}
    query_terms = similarity.expand_compounds(similarity.terms(query_text), vocab)
    weights = similarity.idf([query_terms, *corpus])
    query = similarity.vector(query_terms, weights)
    raw_text = [similarity.cosine(query, similarity.vector(tokens, weights)) for tokens in corpus]
    best = max(raw_text, default=0.0) or 1.0
    token_hits: dict[str, frozenset[str]] = {}
    ranked = []
    for candidate, tokens, text_score in zip(candidates, corpus, raw_text, strict=True):
        own = bool(candidate.codes & profile.codes)
        secondary = bool(candidate.codes & profile.secondary_codes)
        hits = len(vocabulary_hits(tokens, profile, token_hits))
        signals = {
            "hazard": 1.0 if own else 0.5 if secondary else 0.0,
            "vocabulary": min(1.0, hits / VOCABULARY_FULL),
            "text": text_score / best,
            "onset": min(1.0, len(candidate.codes & ONSET_CODES) / 2),
            "breadth": min(1.0, candidate.cities / 5),
            "related": 1.0 if candidate.codes & related_codes else 0.0,
        }
        score = sum(WEIGHTS[k] * signals[k] for k in WEIGHTS) + (OPEN_LESSON_BONUS if candidate.open_lesson else 0.0)
        score *= KIND_WEIGHT.get(candidate.kind, 1.0)
        if own or hits >= 2:
            tier = SPECIFIC
        elif secondary or hits == 1 or signals["related"]:
            tier = RELATED
        else:
            tier = GENERIC
        ranked.append(Ranked(candidate, round(score, 4), signals, tier))
    ranked.sort(key=lambda r: (-r.tier, -r.score, _kind_index(r.candidate.kind), r.candidate.title))
    return Briefing(profile.name, ranked, sum(1 for r in ranked if r.tier == SPECIFIC))


def _kind_index(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def rank(candidates: list[Candidate], *, title: str, hazard_type: str, description: str = "") -> list[Ranked]:
    """Score and sort the candidates for a crisis (highest first); see :func:`brief`."""
    return brief(candidates, title=title, hazard_type=hazard_type, description=description).ranked


REASON_LABELS = {
    "hazard": "gleiche Gefahrenart",
    "vocabulary": "Begriffe dieser Gefahrenart",
    "related": "verwandte Gefahrenart",
    "onset": "Kernthema zu Krisenbeginn (Stab, Personal, Rückführung)",
    "text": "ähnlicher Text",
    "breadth": "in mehreren Städten belegt",
}


def reason_codes(signals: dict[str, float]) -> list[str]:
    """Which signals made an item relevant (keys of REASON_LABELS)."""
    out = []
    if signals.get("hazard", 0) >= 1.0:
        out.append("hazard")
    if signals.get("vocabulary", 0) >= 2 / VOCABULARY_FULL:
        out.append("vocabulary")
    if (signals.get("related") or 0 < signals.get("hazard", 0) < 1.0) and "hazard" not in out:
        out.append("related")
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
