"""Text repairs: hyphenation at line ends, safe OCR confusions, quotations (no Django imports)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "Ein-\nsatz" → "Einsatz"; "Corona-\nVerordnung" keeps its hyphen (the next part is a noun).
_HYPHEN = re.compile(r"(\w)-[ \t]*\n[ \t]*([a-zäöüß])")
_SOFT_BREAK = re.compile(r"(?<=\S)[ \t]*\n[ \t]*(?=\S)")


def dehyphenate(text: str) -> str:
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")
    text = _HYPHEN.sub(r"\1\2", text)
    text = re.sub(r"(\w)-[ \t]*\n[ \t]*([A-ZÄÖÜ])", r"\1-\2", text)
    return text


def join_lines(text: str) -> str:
    """A paragraph's line breaks become spaces (after hyphenation was repaired)."""
    return re.sub(r"[ \t]+", " ", _SOFT_BREAK.sub(" ", dehyphenate(text))).strip()


# Words OCR commonly misreads; a correction is applied only when the corrected form is one of
# these known German words and the word as read is not itself a word.
KNOWN_WORDS = frozenset("""
für über früh später möglich zurück während würde würden müssen müsste können könnte Mütter Männer
Krankenhäuser Bürger Bürgerinnen Bürgermeister Bürgermeisterin öffentlich öffentliche öffentlichen
Öffentlichkeit Behörde Behörden Gesundheitsämter Gesundheitsamt Ärzte Ärztinnen ärztliche Schließung
Schließungen Maßnahme Maßnahmen Größe groß große großen größer Straße Straßen außerdem außer Gemäß gemäß
Verfügung Verfügungen Übung Übungen Prüfung Prüfungen Erklärung Erklärungen Änderung Änderungen
Lösung Lösungen Führung Führungsstab Führungskräfte Unterstützung Einschränkungen Beschlüsse Beschluss
Zuständigkeit Zuständigkeiten zuständig zuständige Schüler Schülerinnen Schüleraustausch Kräfte Räume
Bevölkerung Gefährdung Gefährdungen Ausführung Verhältnis Verhältnisse Schutzmaßnahmen Einsätze
hätte hätten wäre wären täglich nächste nächsten Gespräch Gespräche Anfänge Maßgabe Vorschläge
Zusammenhänge Fähigkeiten regelmäßig regelmäßige zunächst grundsätzlich natürlich Sitzungsräume
Beschäftigte Beschäftigten Überblick Überprüfung übernehmen übernommen Übergabe Rückmeldung Rückmeldungen
Stäbe Krisenstäbe Zuständigkeitsbereich Öffnung Öffnungen Ausschüsse zuführen Güter Bußgeld Bußgelder
""".split())

# Confusions: what OCR reads → what was printed, tried at every occurrence inside a word.
_CONFUSIONS = (("fii", "fü"), ("ii", "ü"), ("a", "ä"), ("o", "ö"), ("u", "ü"), ("A", "Ä"), ("O", "Ö"),
               ("U", "Ü"), ("B", "ß"), ("R", "ß"), ("fi", "fü"))
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")


@dataclass(frozen=True)
class Correction:
    original: str
    corrected: str


def _candidates(word: str):
    for wrong, right in _CONFUSIONS:
        start = 0
        while (index := word.find(wrong, start)) >= 0:
            yield word[:index] + right + word[index + len(wrong):]
            start = index + 1


def _known(word: str) -> bool:
    return word in KNOWN_WORDS or word.lower() in _LOWER


_LOWER = frozenset(w.lower() for w in KNOWN_WORDS)


def fix_ocr_confusions(text: str) -> tuple[str, list[Correction]]:
    """The text with safe corrections applied, and the corrections (original words are kept there)."""
    corrections: list[Correction] = []

    def replace(match: re.Match) -> str:
        word = match.group(0)
        if _known(word):
            return word
        for candidate in _candidates(word):
            if _known(candidate):
                corrections.append(Correction(word, candidate))
                return candidate
        return word

    return _WORD.sub(replace, text), corrections




def is_quotation(text: str) -> bool:
    """Whether a passage is a quotation: in quotation marks, or an interview turn ("I:", "B1:")."""
    stripped = text.strip()
    if len(stripped) < 3:
        return False
    opens = stripped[0] in "„\"»‚“«"
    closes = stripped.rstrip(".,;")[-1:] in "“\"«»‘”"
    if opens and closes:
        return True
    return bool(re.match(r"^(?:[IB]\d*|Interviewer(?:in)?|Befragte[rn]?)\s*:", stripped))
