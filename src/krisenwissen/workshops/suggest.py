"""Suggestions for the board → knowledge transfer (pure, no Django imports).

- ``suggest_codes``: the code book's codes whose terms (name, key, description) best match a
  cluster's text (its name and cards), as TF-IDF cosine over German stems;
- ``nearest``: the existing texts (lessons) most similar to a cluster, for "merge into".

Texts become stems and TF-IDF vectors with ``krisenwissen.search.similarity`` (the search
index's own stemmer and stop words), as the learning loop's similarity does. German compounds
are split into known stems ("Krisenstabsarbeit" meets "Stab").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from krisenwissen.search.similarity import cosine, expand_compounds, idf, terms, vector

CODE_THRESHOLD = 0.12
LESSON_THRESHOLD = 0.2


@dataclass(frozen=True)
class Match:
    key: object
    score: float


class Index:
    """Documents (key, text) prepared once (stems, compounds, weights) for many queries."""

    def __init__(self, documents: Sequence[tuple[object, str]]):
        docs = [(key, terms(text)) for key, text in documents]
        self.vocabulary = {t for _k, tokens in docs for t in tokens}
        docs = [(key, expand_compounds(tokens, self.vocabulary)) for key, tokens in docs]
        self.weights = idf([tokens for _k, tokens in docs])
        self.vectors = [(key, vector(tokens, self.weights, unknown_weight=1.0)) for key, tokens in docs]

    def query(self, text: str, *, threshold: float, limit: int) -> list[Match]:
        """The documents most similar to ``text``, best first, at least ``threshold``."""
        query_vector = vector(expand_compounds(terms(text), self.vocabulary), self.weights, unknown_weight=1.0)
        scored = [Match(key, round(cosine(query_vector, vec), 4)) for key, vec in self.vectors]
        scored = [m for m in scored if m.score >= threshold]
        scored.sort(key=lambda m: (-m.score, str(m.key)))
        return scored[:limit]


def rank(query: str, documents: Sequence[tuple[object, str]], *, threshold: float, limit: int) -> list[Match]:
    """The documents (key, text) most similar to ``query``, best first, at least ``threshold``."""
    return Index(documents).query(query, threshold=threshold, limit=limit)


def suggest_codes(text: str, codes: Sequence[tuple[object, str]], *, limit: int = 2,
                  threshold: float = CODE_THRESHOLD) -> list[object]:
    """Keys of the codes (key, "name description key") that fit ``text`` best."""
    return [m.key for m in rank(text, codes, threshold=threshold, limit=limit)]


def hazard_code(hazard_type: str, codes: Sequence[tuple[object, str]]) -> object | None:
    """The hazard code for a crisis's hazard type: an exact or prefix match of a code's name or
    key parts (``Starkregen`` → ``Hochwasser/Starkregen``), else the best text match."""
    wanted = (hazard_type or "").strip().lower()
    if not wanted:
        return None
    for key, text in codes:
        parts = {p for p in text.lower().replace("/", " ").replace("-", " ").split() if len(p) >= 4}
        if any(p == wanted or p.startswith(wanted) or wanted.startswith(p) for p in parts):
            return key
    best = rank(hazard_type, codes, threshold=0.3, limit=1)
    return best[0].key if best else None


def nearest(text: str, documents: Sequence[tuple[object, str]] | Index, *, limit: int = 3,
            threshold: float = LESSON_THRESHOLD) -> list[Match]:
    """The existing texts most similar to ``text`` (for "merge into an existing lesson");
    ``documents`` may be a prepared :class:`Index` when many texts are compared."""
    index = documents if isinstance(documents, Index) else Index(documents)
    return index.query(text, threshold=threshold, limit=limit)
