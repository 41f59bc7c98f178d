"""Finding personal data in free text before it is published (pure, no Django).

The review step shows these findings to Redaktion; it does not change the text. The
detector errs on the side of flagging: a false alarm costs a reviewer a glance, a missed
name in a published quote can cost a colleague's trust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Titles and forms of address that precede a surname in German administrative text.
_TITLES = r"(?:Herrn?|Frau|Dr\.|Prof\.|Dipl\.-\w+\.?|Bürgermeister(?:in)?|Oberbürgermeister(?:in)?|Dezernent(?:in)?|Amtsleiter(?:in)?|Kolleg(?:e|in))"
_NAME = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"

# A compact list of frequent German first names; a first name followed by a capitalised
# word is the most common way a person is named in a quote.
FIRST_NAMES = frozenset(
    """
    Alexander Andrea Andreas Anja Anna Barbara Bernd Birgit Christian Christina Christine Claudia
    Daniel Dieter Dirk Elke Frank Gabriele Heike Helmut Jan Jens Jörg Jürgen Julia Karin Katharina
    Klaus Lars Laura Lisa Manfred Maria Marion Markus Martin Martina Matthias Melanie Michael
    Monika Nadine Nicole Oliver Peter Petra Ralf Sabine Sandra Sarah Stefan Stefanie Stephan
    Susanne Sven Thomas Tobias Torsten Ulrike Ursula Uwe Werner Wolfgang Yvonne Ahmet Mehmet
    Fatma Ayse Elena Olga Natalia Sergej Leon Lukas Paul Felix Jonas Emma Mia Hannah Sophie
    """.split()
)

_TITLE_RE = re.compile(rf"\b{_TITLES}\s+(?:{_NAME}\s+)?{_NAME}")
_FIRST_LAST_RE = re.compile(rf"\b({_NAME})\s+({_NAME})\b")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE_RE = re.compile(r"(?<!\w)(?:\+49|0)[\d /-]{6,}\d")


@dataclass(frozen=True)
class Finding:
    kind: str  # "name", "email", "phone"
    text: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return {"name": "möglicher Personenname", "email": "E-Mail-Adresse", "phone": "Telefonnummer"}[self.kind]


def find_personal_data(text: str) -> list[Finding]:
    """Return possible personal names, e-mail addresses and phone numbers in ``text``.

    Findings are ordered by position and do not overlap.
    """
    findings: list[Finding] = []
    for match in _EMAIL_RE.finditer(text):
        findings.append(Finding("email", match.group(0), match.start(), match.end()))
    for match in _PHONE_RE.finditer(text):
        findings.append(Finding("phone", match.group(0).strip(), match.start(), match.end()))
    for match in _TITLE_RE.finditer(text):
        findings.append(Finding("name", match.group(0), match.start(), match.end()))
    for match in _FIRST_LAST_RE.finditer(text):
        if match.group(1) in FIRST_NAMES:
            findings.append(Finding("name", match.group(0), match.start(), match.end()))
    findings.sort(key=lambda f: (f.start, -(f.end - f.start)))
    result: list[Finding] = []
    last_end = -1
    for finding in findings:
        if finding.start >= last_end:
            result.append(finding)
            last_end = finding.end
    return result



_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# What a redaction may put anywhere where words were removed: a bracketed note ("[Name
# entfernt]", "[…]"), an ellipsis, punctuation.
_PLACEHOLDER_RE = re.compile(r"\[[^\[\]]{0,40}\]|…|\.\.\.")
REDACTION_MAX_WORDS = 6  # words a reviewer may put in place of a found name ("die Leitung des Amts")
REDACTION_REACH = 40  # characters around a finding that its replacement may touch ("Frau", "vom")


def is_redaction(old: str, new: str) -> bool:
    """True when ``new`` only narrows ``old`` the way a reviewer removes personal data: words are
    removed anywhere; words are added only in place of (or right beside) personal data found in
    ``old`` (``find_personal_data``), at most ``REDACTION_MAX_WORDS`` per place, or as
    placeholders ("[Name entfernt]", "…"). Anything else is an edit of the reviewer's own."""
    import difflib

    spans = [(f.start - REDACTION_REACH, f.end + REDACTION_REACH) for f in find_personal_data(old)]
    old_matches = list(_TOKEN_RE.finditer(old))
    old_tokens = [m.group(0) for m in old_matches]
    new_tokens = _TOKEN_RE.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op not in ("insert", "replace"):
            continue
        inserted = re.sub(r"\s*([\[\]])\s*", r"\1", " ".join(new_tokens[j1:j2]))
        words = re.findall(r"\w+", _PLACEHOLDER_RE.sub(" ", inserted))
        if not words:
            continue  # only placeholders and punctuation
        start = old_matches[i1].start() if i1 < len(old_matches) else len(old)
        end = old_matches[i2 - 1].end() if i2 > i1 else start
        near = any(a <= end and start <= b for a, b in spans)
        if not near or len(words) > REDACTION_MAX_WORDS:
            return False
    return True
