"""Literature references: RIS and BibTeX reading, normalisation, de-duplication (pure, no Django).

Citavi and Zotero export both formats. The readers are small and bounded (no recursion,
limited record count and field length) and raise only ``LiteratureError`` with a German
message naming the line. De-duplication uses the normalised DOI first, then the normalised
title together with the year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_RECORDS = 5000
MAX_FIELD_CHARS = 20_000


class LiteratureError(ValueError):
    """A reference file we refuse; the message is German and names the line where it can."""


@dataclass
class Reference:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str = ""
    container: str = ""  # journal, book or series
    publisher: str = ""
    url: str = ""
    kind: str = ""  # RIS type or BibTeX entry type
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def key(self) -> str:
        """The de-duplication key: ``doi:…`` or ``titel:…|year``."""
        if self.doi:
            return f"doi:{self.doi}"
        return f"titel:{normalise_title(self.title)}|{self.year or ''}"

    def citation(self) -> str:
        authors = "; ".join(self.authors[:3]) + (" u. a." if len(self.authors) > 3 else "")
        parts = [p for p in (authors, f"({self.year})" if self.year else "", self.title, self.container, self.publisher) if p]
        text = " ".join(parts[:2]) + (": " if len(parts) > 2 else "") + ". ".join(parts[2:])
        if self.doi:
            text += f". https://doi.org/{self.doi}"
        return text.strip()


def normalise_doi(value: str) -> str:
    value = (value or "").strip().lower()
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value)
    value = value.strip().rstrip(".")
    return value if re.match(r"^10\.\d{3,9}/\S+$", value) else ""


def normalise_title(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").casefold()
    value = value.replace("ß", "ss")
    value = re.sub(r"[^\w]+", " ", value)
    return " ".join(value.split())


def _year(value: str) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b", value or "")
    return int(match.group(1)) if match else None


def _check_size(text: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise LiteratureError(f"Die Datei ist zu groß (höchstens {max_chars} Zeichen).")
    if "\x00" in text:
        raise LiteratureError("Die Datei ist keine Textdatei.")


# --- RIS ---------------------------------------------------------------------------------

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def parse_ris(text: str, *, max_chars: int = 20_000_000, max_records: int = MAX_RECORDS) -> list[Reference]:
    _check_size(text, max_chars)
    text = text.lstrip("\ufeff")
    references: list[Reference] = []
    fields: dict[str, list[str]] | None = None
    last_tag = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _RIS_LINE.match(line)
        if match is None and line.rstrip() in {"ER  -", "ER -"}:
            match = _RIS_LINE.match("ER  - ")
        if match is None:
            if fields is not None and last_tag:
                values = fields[last_tag]
                values[-1] = (values[-1] + " " + line.strip())[:MAX_FIELD_CHARS]
                continue
            raise LiteratureError(f"Zeile {number}: keine RIS-Zeile (erwartet „XX  - Wert“).")
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if fields is not None:
                raise LiteratureError(f"Zeile {number}: neuer Eintrag (TY) ohne Abschluss (ER) des vorigen aus Zeile {start}.")
            fields, start, last_tag = {"TY": [value]}, number, "TY"
            continue
        if fields is None:
            raise LiteratureError(f"Zeile {number}: Ein Eintrag muss mit „TY  -“ beginnen.")
        if tag == "ER":
            references.append(_ris_reference(fields, start))
            if len(references) > max_records:
                raise LiteratureError(f"Zeile {number}: zu viele Einträge (höchstens {max_records}).")
            fields, last_tag = None, ""
            continue
        fields.setdefault(tag, []).append(value[:MAX_FIELD_CHARS])
        last_tag = tag
    if fields is not None:
        raise LiteratureError(f"Zeile {start}: Der Eintrag endet nicht mit „ER  -“ (Datei unvollständig?).")
    if not references:
        raise LiteratureError("Die Datei enthält keinen RIS-Eintrag.")
    return references


def _first(fields: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        for value in fields.get(tag, []):
            if value.strip():
                return value.strip()
    return ""


def _ris_reference(fields: dict[str, list[str]], line: int) -> Reference:
    authors = [a for tag in ("AU", "A1", "A2", "A3") for a in fields.get(tag, []) if a.strip()]
    doi = normalise_doi(_first(fields, "DO", "DOI"))
    if not doi:
        for value in fields.get("UR", []) + fields.get("L3", []):
            doi = normalise_doi(value)
            if doi:
                break
    return Reference(
        title=_first(fields, "TI", "T1", "CT", "BT")[:1000], authors=authors[:100],
        year=_year(_first(fields, "PY", "Y1", "DA", "Y2")), doi=doi,
        container=_first(fields, "T2", "JO", "JF", "JA", "T3", "SE")[:500], publisher=_first(fields, "PB")[:300],
        url=_first(fields, "UR")[:500], kind=_first(fields, "TY")[:20], abstract=_first(fields, "AB", "N2"),
        keywords=[k for k in fields.get("KW", []) if k][:50], line=line)


# --- BibTeX ------------------------------------------------------------------------------

_LATEX = {
    '\\"a': "ä", '\\"o': "ö", '\\"u': "ü", '\\"A': "Ä", '\\"O': "Ö", '\\"U': "Ü", "\\ss": "ß",
    "\\'e": "é", "\\`e": "è", "\\'a": "á", "\\`a": "à", "\\&": "&", "\\%": "%", "\\_": "_", "\\$": "$",
    "\\#": "#", "--": "–", "~": " ",
}
_ENTRY_RE = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_KEY_RE = re.compile(r"\s*([^\s,={}()\"#%'~]+)\s*,")
_NAME_RE = re.compile(r"\s*([A-Za-z][\w\-:.+/]*)\s*=\s*")


def latex_to_text(value: str) -> str:
    value = re.sub(r"\\(?:[\"'`^~=.])\{(\w)\}", lambda m: m.group(0)[:2] + m.group(1), value)
    value = re.sub(r"\{\\(?:[\"'`^~=.])(\w)\}", lambda m: m.group(0)[1:3] + m.group(1), value)
    for latex, char in _LATEX.items():
        value = value.replace("{" + latex + "}", char).replace(latex, char)
    value = re.sub(r"\\[a-zA-Z]+\s*", "", value)
    value = value.replace("{", "").replace("}", "").replace("\\", "")
    return " ".join(value.split())


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self._counted = (0, 1)  # (position, line there): lines are counted on from the last question

    def line(self, pos: int | None = None) -> int:
        pos = self.pos if pos is None else pos
        last, line = self._counted
        if pos < last:
            last, line = 0, 1
        line += self.text.count("\n", last, pos)
        self._counted = (pos, line)
        return line

    def fail(self, message: str, pos: int | None = None):
        raise LiteratureError(f"Zeile {self.line(pos)}: {message}")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def braced(self, close: str) -> str:
        """The text up to the matching ``close`` (braces nested), the scanner after it."""
        start, depth, pos = self.pos, 0, self.pos
        opening = "{" if close == "}" else "("
        text = self.text
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "{" or (opening == "(" and char == "(" and depth == 0 and False):
                depth += 1
            elif char == "}" and depth > 0:
                depth -= 1
            elif char == close and depth == 0:
                self.pos = pos + 1
                return text[start:pos]
            elif char == "}" and depth == 0:
                self.fail("schließende Klammer „}“ ohne öffnende.", pos)
            if pos - start > MAX_FIELD_CHARS * 5:
                self.fail("Feld zu lang.", start)
            pos += 1
        self.fail(f"Klammer nicht geschlossen (erwartet „{close}“).", start - 1)

    def quoted(self) -> str:
        start, depth, pos = self.pos, 0, self.pos
        text = self.text
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    self.fail("schließende Klammer „}“ ohne öffnende.", pos)
            elif char == '"' and depth == 0:
                self.pos = pos + 1
                return text[start:pos]
            pos += 1
        self.fail("Anführungszeichen nicht geschlossen.", start - 1)


def parse_bibtex(text: str, *, max_chars: int = 20_000_000, max_records: int = MAX_RECORDS) -> list[Reference]:
    _check_size(text, max_chars)
    scanner = _Scanner(text.lstrip("\ufeff"))
    text = scanner.text
    strings: dict[str, str] = {}
    references: list[Reference] = []
    while True:
        match = _ENTRY_RE.search(text, scanner.pos)
        if match is None:
            break
        entry_type, opening = match.group(1).lower(), match.group(2)
        close = "}" if opening == "{" else ")"
        scanner.pos = match.end()
        start = match.start()
        if entry_type in {"comment", "preamble"}:
            scanner.braced(close)
            continue
        if entry_type == "string":
            body = scanner.braced(close)
            name, _eq, value = body.partition("=")
            if _eq and name.strip():
                strings[name.strip().lower()] = latex_to_text(value.strip().strip('{}"'))[:MAX_FIELD_CHARS]
            continue
        key = _KEY_RE.match(text, scanner.pos)
        if key is None:
            scanner.fail(f"Eintrag „@{entry_type}“ ohne Schlüssel (z. B. „@article{{mueller2020,“).", start)
        scanner.pos = key.end()
        fields = _bib_fields(scanner, close, strings)
        references.append(_bib_reference(entry_type, fields, scanner.line(start)))
        if len(references) > max_records:
            scanner.fail(f"zu viele Einträge (höchstens {max_records}).", start)
    if not references:
        raise LiteratureError("Die Datei enthält keinen BibTeX-Eintrag (wie „@article{…}“).")
    return references


def _bib_fields(scanner: _Scanner, close: str, strings: dict[str, str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    text = scanner.text
    while True:
        scanner.skip_space()
        if scanner.pos >= len(text):
            scanner.fail(f"Eintrag nicht abgeschlossen (erwartet „{close}“).")
        if text[scanner.pos] == close:
            scanner.pos += 1
            return fields
        name = _NAME_RE.match(text, scanner.pos)
        if name is None:
            scanner.fail("Feld erwartet (wie „title = {…}“).")
        scanner.pos = name.end()
        parts = []
        while True:
            scanner.skip_space()
            if scanner.pos >= len(text):
                scanner.fail("Feldwert fehlt.")
            char = text[scanner.pos]
            if char == "{":
                scanner.pos += 1
                parts.append(scanner.braced("}"))
            elif char == '"':
                scanner.pos += 1
                parts.append(scanner.quoted())
            else:
                word = re.match(r"[\w\-:.+/]+", text[scanner.pos:scanner.pos + 200])
                if word is None:
                    scanner.fail("Feldwert erwartet ({…}, \"…\" oder Zahl).")
                parts.append(strings.get(word.group(0).lower(), word.group(0)))
                scanner.pos += word.end()
            scanner.skip_space()
            if scanner.pos < len(text) and text[scanner.pos] == "#":
                scanner.pos += 1
                continue
            break
        fields[name.group(1).lower()] = "".join(parts)[:MAX_FIELD_CHARS]
        scanner.skip_space()
        if scanner.pos < len(text) and text[scanner.pos] == ",":
            scanner.pos += 1


def _bib_reference(entry_type: str, fields: dict[str, str], line: int) -> Reference:
    def get(*names: str) -> str:
        for name in names:
            if fields.get(name, "").strip():
                return latex_to_text(fields[name])
        return ""

    authors = [latex_to_text(a) for a in re.split(r"\s+and\s+", fields.get("author", "") or fields.get("editor", "")) if a.strip()]
    return Reference(
        title=get("title")[:1000], authors=authors[:100], year=_year(get("year", "date")),
        doi=normalise_doi(get("doi")) or normalise_doi(get("url")),
        container=get("journal", "journaltitle", "booktitle", "series")[:500], publisher=get("publisher", "institution", "organization")[:300],
        url=get("url")[:500], kind=entry_type[:20], abstract=get("abstract"),
        keywords=[k.strip() for k in re.split(r"[,;]", get("keywords")) if k.strip()][:50], line=line)


# --- reading and de-duplication ----------------------------------------------------------

def parse_references(text: str, filename: str = "", **kwargs) -> list[Reference]:
    """RIS or BibTeX, by extension or content."""
    name = filename.lower()
    stripped = text.lstrip("\ufeff \t\r\n")
    if name.endswith(".bib") or (not name.endswith(".ris") and stripped.startswith(("@", "%"))):
        return parse_bibtex(text, **kwargs)
    if name.endswith((".ris", ".txt")) or stripped.startswith("TY  -"):
        return parse_ris(text, **kwargs)
    raise LiteratureError("Unbekanntes Format: bitte eine RIS-Datei (.ris) oder BibTeX-Datei (.bib) hochladen.")


def deduplicate(references: list[Reference], known_keys: set[str] | None = None) -> tuple[list[Reference], list[Reference]]:
    """(new, duplicates): a reference is a duplicate when its DOI, or its normalised title and year,
    was seen before (in the file or in ``known_keys``: keys ``doi:…`` and ``titel:…|year``)."""
    seen = set(known_keys or ())
    new, duplicates = [], []
    for reference in references:
        keys = {reference.key, f"titel:{normalise_title(reference.title)}|{reference.year or ''}"}
        if not normalise_title(reference.title) and not reference.doi:
            duplicates.append(reference)  # nothing to recognise it by: not imported
            continue
        if keys & seen:
            duplicates.append(reference)
            continue
        seen |= keys
        new.append(reference)
    return new, duplicates
