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
