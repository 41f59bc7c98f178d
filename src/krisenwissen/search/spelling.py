"""Spelling suggestions ("Meinten Sie …?") from a vocabulary of known words (pure Python, no Django).

The vocabulary is whatever the caller passes: the search app builds it only from words of
items the user may read (see ``suggest.py``), so this module never sees anything else.

A query word that is not in the vocabulary is replaced by the closest vocabulary word within
a small edit distance (optimal string alignment: insertions, deletions, substitutions and
swaps of two neighbouring letters each count 1). The allowed distance grows with the word:
short words are left alone (too many neighbours), words of 4–7 letters may be off by one,
longer words by two. Ties go to the more frequent word, then alphabetically, so the result is
deterministic. Comparison is on folded forms (lower case, umlauts as plain letters), so
"krisenstaebe" is the known "Krisenstäbe", not a typo.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

WORD_RE = re.compile(r"[^\W_]+")
MIN_WORD_LENGTH = 4
MAX_WORD_LENGTH = 40
MAX_QUERY_WORDS = 8


def fold_word(word: str) -> str:
    """Lower case without accents, ß as ss, umlaut digraphs (ae/oe/ue) as the plain vowel."""
    decomposed = unicodedata.normalize("NFKD", word).casefold().replace("ß", "ss")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"(?<![aeiouq])([aou])e(?!e)", r"\1", plain)


def max_distance(word: str) -> int:
    """How many edits a word of this length may be away from its correction (0: none)."""
    if len(word) < MIN_WORD_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Vocabulary:
    """Known words: folded form → (display form, frequency)."""

    words: Mapping[str, tuple[str, int]]

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> Vocabulary:
        """Build from surface words and their frequencies; the commonest spelling of a folded form wins."""
        best: dict[str, tuple[str, int]] = {}
        totals: dict[str, int] = {}
        for word, count in counts.items():
            if count <= 0 or not WORD_RE.fullmatch(word or ""):
                continue
            key = fold_word(word)
            totals[key] = totals.get(key, 0) + count
            if key not in best or (count, word) > (best[key][1], best[key][0]):
                best[key] = (word, count)
        return cls({key: (display, totals[key]) for key, (display, _count) in best.items()})

    def __contains__(self, word: str) -> bool:
        return fold_word(word) in self.words

    def correct_word(self, word: str) -> str | None:
        """The best vocabulary word for an unknown ``word``, or None (known, too short, nothing close)."""
        folded = fold_word(word)
        if folded in self.words or len(folded) > MAX_WORD_LENGTH or not folded.isalpha():
            return None
        limit = max_distance(folded)
        if limit == 0:
            return None
        matches = process.extract(
            folded, list(self.words), scorer=OSA.distance, score_cutoff=limit, limit=None,
        )
        if not matches:
            return None
        best = min(matches, key=lambda match: (match[1], -self.words[match[0]][1], match[0]))
        return self.words[best[0]][0]


def suggest(text: str, vocabulary: Vocabulary) -> str | None:
    """``text`` with its unknown words corrected, or None if nothing would change.

    Words are taken as the query spells them apart from the corrected ones; punctuation
    between words collapses to single spaces. A query of more than ``MAX_QUERY_WORDS`` words
    gets no suggestion (it is a question, not a typo).
    """
    words = WORD_RE.findall(text or "")
    if not words or len(words) > MAX_QUERY_WORDS:
        return None
    changed = False
    corrected = []
    for word in words:
        replacement = vocabulary.correct_word(word)
        if replacement is not None and fold_word(replacement) != fold_word(word):
            corrected.append(replacement)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None
