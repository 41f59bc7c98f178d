"""Text similarity of German texts (pure, no Django imports): one module for every app that
compares texts — recurring lessons and the crisis briefing (learning), the board → knowledge
transfer suggestions (workshops).

Texts become bags of German stems (the search index's own stemmer and stop words, so that
"Krisenstäbe" and "Krisenstab" meet); similarity is the cosine of TF-IDF weighted vectors.
Compound words are also split into known parts when a part is itself a stem of the corpus
(e.g. "Gasmangellage" shares "lage" with "Lage").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

from krisenwissen.search.text import is_stopword, stem, tokenize


def terms(text: str) -> list[str]:
    """Stems of the words of ``text`` without stop words and very short words."""
    return list(_terms(text or ""))


@lru_cache(maxsize=20_000)
def _terms(text: str) -> tuple[str, ...]:
    # Stemming dominates the cost of briefings and similarity checks; texts repeat across
    # requests, so the stems are kept per process (bounded).
    result = []
    for word in tokenize(text):
        if len(word) < 3 or word.isdigit() or is_stopword(word):
            continue
        result.append(stem(word.lower()))
    return tuple(result)


def idf(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """Inverse document frequency of every term (smoothed, always positive)."""
    docs = [set(d) for d in documents]
    n = len(docs)
    counts: Counter[str] = Counter()
    for d in docs:
        counts.update(d)
    return {term: math.log((1 + n) / (1 + df)) + 1.0 for term, df in counts.items()}


def vector(tokens: Iterable[str], weights: Mapping[str, float] | None = None, *, unknown_weight: float | None = None) -> dict[str, float]:
    """Log-scaled term frequencies times ``weights``; a term without a weight gets
    ``unknown_weight`` (default: the highest weight, as for a term seen in no document)."""
    counts = Counter(tokens)
    if not weights:
        return {t: 1 + math.log(c) for t, c in counts.items()}
    default = max(weights.values(), default=1.0) if unknown_weight is None else unknown_weight
    return {t: (1 + math.log(c)) * weights.get(t, default) for t, c in counts.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def expand_compounds(tokens: list[str], vocabulary: set[str], min_part: int = 4) -> list[str]:
    """Add the known vocabulary stems contained in long tokens (German compounds).

    Looks up each token's substrings in the vocabulary (quadratic in the word's length, not
    linear in the vocabulary's size) and each distinct token once.
    """
    extra = []
    parts_of: dict[str, list[str]] = {}
    for token in tokens:
        if len(token) < 2 * min_part:
            continue
        if token not in parts_of:
            found = {token[i:j] for i in range(len(token)) for j in range(i + min_part, len(token) + 1)}
            found.discard(token)
            parts_of[token] = sorted(found & vocabulary)
        extra.extend(parts_of[token])
    return tokens + extra


def jaccard(a: Iterable, b: Iterable) -> float:
    a, b = set(a), set(b)
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)
