"""Quality hints for an observation before it is submitted (pure, no Django imports).

The hints follow what makes an observation useful to someone who was not there: is it
understandable without context, does it say what happened and why, does it name the obstacle
behind a decision and not only the decision. They are hints, not rules: the author may
submit anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)

# Words that point to context the reader does not have ("this", "back then", "as discussed").
CONTEXT_WORDS = frozenset({
    "das da", "damals", "wie besprochen", "wie bekannt", "s.o.", "siehe oben", "dort", "dieser",
    "diese", "dieses", "jener", "jene", "obiges", "vorhin", "neulich", "letztens",
})
# Markers of a reason or cause.
REASON_WORDS = frozenset({
    "weil", "da", "deshalb", "daher", "darum", "denn", "wegen", "aufgrund", "ursache", "grund",
    "dadurch", "sodass", "infolge", "führte", "fuehrte", "folglich", "hintergrund",
})
# Markers of an obstacle or condition behind a decision.
OBSTACLE_WORDS = frozenset({
    "fehlte", "fehlten", "fehlende", "fehlender", "fehlendes", "mangel", "hindernis", "hürde",
    "huerde", "problem", "schwierig", "schwierigkeit", "kein", "keine", "keinen", "nicht",
    "kaum", "zu wenig", "engpass", "überlastet", "ueberlastet", "unklar", "widersprüchlich",
    "frist", "fristen", "zeitdruck", "konflikt", "blockiert", "verzögert",
})
# Markers of a decision without its background.
DECISION_WORDS = frozenset({"entschieden", "beschlossen", "entscheidung", "angeordnet", "festgelegt", "eingeführt"})

MIN_WORDS = 15


@dataclass(frozen=True)
class QualityHint:
    code: str
    message: str


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text or "")]


def _contains(words: list[str], text: str, vocabulary: frozenset[str]) -> bool:
    lowered = " " + " ".join(words) + " "
    folded = (text or "").lower()
    for entry in vocabulary:
        if " " in entry or "." in entry:
            if entry in folded:
                return True
        elif f" {entry} " in lowered:
            return True
    return False


def quality_hints(text: str) -> list[QualityHint]:
    """Hints for an observation text; an empty list means nothing to point out."""
    words = _words(text)
    hints: list[QualityHint] = []
    if len(words) < MIN_WORDS:
        hints.append(QualityHint(
            "kurz",
            f"Der Text hat nur {len(words)} Wörter. Ist er ohne weiteren Zusammenhang verständlich "
            f"(wer, wann, in welcher Lage)? Empfohlen sind mindestens {MIN_WORDS} Wörter.",
        ))
    if _contains(words, text, CONTEXT_WORDS):
        hints.append(QualityHint(
            "kontext",
            "Der Text verweist auf Zusammenhang, den Lesende nicht kennen (z. B. „damals“, „dort“, "
            "„wie besprochen“). Bitte benennen Sie Lage, Zeitraum und Stelle ausdrücklich.",
        ))
    if not _contains(words, text, REASON_WORDS):
        hints.append(QualityHint(
            "warum",
            "Der Text sagt, was geschah, aber nicht warum. Ergänzen Sie den Grund oder die Ursache "
            "(z. B. mit „weil …“).",
        ))
    decision = _contains(words, text, DECISION_WORDS)
    if decision and not _contains(words, text, OBSTACLE_WORDS):
        hints.append(QualityHint(
            "hindernis",
            "Der Text nennt eine Entscheidung, aber nicht das Hindernis oder die Bedingung dahinter. "
            "Was machte die Entscheidung nötig oder schwierig?",
        ))
    return hints
