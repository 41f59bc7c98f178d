"""Survey exports: reading the CSV, detecting questions, counting answers (pure, no Django).

Two inputs are understood (docs/dokumente.md, "Umfrage-Import"):

- the CSV that LimeSurvey writes ("Antworten exportieren" → CSV): header cells are question
  codes (``G01Q01``, ``Q1``), optionally followed by the question text (``Q1. Wie …?`` or
  ``Q1 - Wie …?``); ``Q1[SQ001]`` are the subquestions of a multiple-choice question (selected:
  ``Y``/``Ja``/``1``/``X``), ``Q1[other]`` and ``Q1[comment]`` free texts; the system columns
  (``id``, ``submitdate``, ``lastpage``, ``startlanguage``, ``seed``, ``token`` …) are skipped;
- a generic CSV with the same conventions: one column ``ags`` or ``kommune`` names the
  municipality; a header ``Code: Fragetext`` gives a question a code; a header ending in
  ``(Freitext)`` is a free-text question; ``Frage[Option]`` columns form a multiple choice.

Both comma and semicolon separate the cells; UTF-8 with or without BOM (else Windows-1252).
Single choice or free text is decided from the answers when the header does not say: few
distinct short answers are options, anything else is free text.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

SYSTEM_COLUMNS = {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "token",
                  "refurl", "ipaddr", "interviewtime", "optout", "emailstatus", "firstname", "lastname", "email",
                  "antwort id", "antwort-id", "datum abgeschickt", "letzte seite", "start-sprache", "zufallsstartwert"}
MUNICIPALITY_COLUMNS = {"ags", "kommune", "gemeinde", "gemeindeschluessel", "gemeindeschlüssel", "stadt", "kreis",
                        "municipality"}
SELECTED = {"y", "yes", "ja", "1", "x", "true", "wahr", "ausgewählt", "gewählt"}
FREE_SUFFIXES = {"other", "comment", "sonstiges", "kommentar", "freitext", "frei"}
MAX_OPTIONS = 15
MAX_OPTION_CHARS = 80
MAX_CELL_CHARS = 20_000

# Written without a lazy group before "\s*": that shape backtracks quadratically on long runs of
# spaces (a hostile header cell); the question text is stripped where it is used.
_SUB_RE = re.compile(r"^(?P<q>[^\[\]]+)\[(?P<sub>[^\[\]]{1,200})\](?P<rest>.*)$", re.S)
_TRAILING_OPTION_RE = re.compile(r"^(?P<text>.*)\[(?P<option>[^\[\]]+)\]$", re.S)
_CODE_TEXT_RE = re.compile(r"^(?P<code>[A-Za-z][A-Za-z0-9_]{0,39})\s*(?:\.|:|\s-)\s*(?P<text>.+)$", re.S)
_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


class SurveyError(ValueError):
    """A survey file we refuse; the message is German and names line and column where it can."""


@dataclass(frozen=True)
class Bounds:
    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 500


@dataclass
class Question:
    code: str
    text: str
    kind: str  # "einfach" (single choice), "mehrfach" (multiple choice), "frei" (free text)
    columns: list[int] = field(default_factory=list)  # column indexes in the file
    options: list[str] = field(default_factory=list)  # single choice: answers; multiple: subquestion labels

    def as_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "kind": self.kind, "columns": self.columns, "options": self.options}


@dataclass
class Survey:
    header: list[str]
    rows: list[list[str]]
    questions: list[Question]
    municipality_column: int | None = None
    delimiter: str = ","


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: 0 for d in ",;\t"}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, bounds: Bounds = Bounds()) -> tuple[list[str], list[list[str]], str]:
    if len(data) > bounds.max_bytes:
        raise SurveyError(f"Die Datei ist zu groß ({len(data)} Bytes, höchstens {bounds.max_bytes}).")
    if b"\x00" in data:
        raise SurveyError("Die Datei ist keine Textdatei (CSV).")
    text = decode(data)
    if not text.strip():
        raise SurveyError("Die Datei ist leer.")
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    header: list[str] | None = None
    try:
        for row in reader:
            if header is None:
                header = [cell.strip() for cell in row]
                if len(header) > bounds.max_columns:
                    raise SurveyError(f"Zeile 1: zu viele Spalten ({len(header)}, höchstens {bounds.max_columns}).")
                if len(header) < 2 or not any(header):
                    raise SurveyError("Zeile 1: Die Kopfzeile braucht mindestens zwei Spalten.")
                continue
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(header):
                raise SurveyError(f"Zeile {line}: {len(row)} Spalten statt {len(header)} wie in der Kopfzeile.")
            for column, cell in enumerate(row, start=1):
                if len(cell) > MAX_CELL_CHARS:
                    raise SurveyError(f"Zeile {line}, Spalte {column}: Zelle zu lang (höchstens {MAX_CELL_CHARS} Zeichen).")
            rows.append([cell.strip() for cell in row])
            if len(rows) > bounds.max_rows:
                raise SurveyError(f"Zeile {line}: zu viele Antworten (höchstens {bounds.max_rows} Zeilen).")
    except csv.Error as exc:
        raise SurveyError(f"Zeile {reader.line_num}: Die CSV-Datei ist fehlerhaft ({exc}).") from None
    if header is None:
        raise SurveyError("Die Datei ist leer.")
    if not rows:
        raise SurveyError("Die Datei enthält keine Antworten (nur eine Kopfzeile).")
    return header, rows, delimiter


def _code_and_text(cell: str) -> tuple[str, str]:
    cell = cell.strip()
    match = _CODE_TEXT_RE.match(cell)
    if match and not _CODE_RE.match(cell):
        return match.group("code"), match.group("text").strip()
    return cell, cell


def parse_survey(data: bytes, bounds: Bounds = Bounds()) -> Survey:
    """Read a survey export; raises ``SurveyError`` (German) for anything it cannot take."""
    header, rows, delimiter = read_csv(data, bounds)
    municipality_column = None
    questions: dict[str, Question] = {}
    order: list[str] = []
    for index, cell in enumerate(header):
        key = cell.strip().lower()
        if municipality_column is None and key.split(".")[0].split(":")[0].strip() in MUNICIPALITY_COLUMNS:
            municipality_column = index
            continue
        if not cell or key in SYSTEM_COLUMNS:
            continue
        free_marked = key.endswith("(freitext)")
        if free_marked:
            cell = cell[: -len("(freitext)")].strip()
        sub = _SUB_RE.match(cell)
        if sub:
            code, text = _code_and_text(sub.group("q"))
            label = sub.group("sub").strip()
            rest = sub.group("rest").strip(" .:-")
            if label.lower() in FREE_SUFFIXES:
                free_code = f"{code}[{label}]"
                questions[free_code] = Question(free_code, f"{text} ({rest or label})", "frei", [index])
                order.append(free_code)
                continue
            # LimeSurvey's "code and text" header: "Q2[SQ001]. Welche Kanäle? [Website]"
            trailing = _TRAILING_OPTION_RE.match(rest)
            if trailing:
                rest = trailing.group("option").strip()
                text = trailing.group("text").strip() or text
            question = questions.get(code)
            if question is None or question.kind != "mehrfach":
                question = Question(code, text, "mehrfach")
                questions[code] = question
                order.append(code)
            question.columns.append(index)
            question.options.append(rest or label)
            continue
        code, text = _code_and_text(cell)
        if code in questions:
            code = f"{code}_{index + 1}"
        questions[code] = Question(code, text, "frei" if free_marked else "einfach", [index])
        order.append(code)
    for code in order:
        question = questions[code]
        if question.kind != "einfach":
            continue
        values = [row[question.columns[0]] for row in rows if row[question.columns[0]]]
        distinct = Counter(values)
        if (distinct and len(distinct) <= MAX_OPTIONS and all(len(v) <= MAX_OPTION_CHARS for v in distinct)
                and (len(values) >= 2 * len(distinct)
                     or (len(distinct) <= 5 and len(values) > len(distinct) and all(len(v) <= 25 for v in distinct)))):
            question.options = sorted(distinct, key=lambda v: (-distinct[v], v))
        else:
            question.kind = "frei"
    result = [questions[code] for code in order]
    if not result:
        raise SurveyError("Zeile 1: Es wurde keine Frage erkannt (nur Systemspalten oder leere Kopfzeile).")
    return Survey(header=header, rows=rows, questions=result, municipality_column=municipality_column,
                  delimiter=delimiter)


def is_selected(value: str) -> bool:
    return value.strip().lower() in SELECTED


def frequencies(question: Question | dict, rows: list[list[str]]) -> list[tuple[str, int]]:
    """(answer, count) for a choice question; for free text one row with the number of answers."""
    q = question if isinstance(question, dict) else question.as_dict()
    if q["kind"] == "mehrfach":
        return [(label, sum(1 for row in rows if is_selected(row[col]))) for col, label in zip(q["columns"], q["options"], strict=False)]
    col = q["columns"][0]
    if q["kind"] == "frei":
        return [("Antworten", sum(1 for row in rows if row[col]))]
    counts = Counter(row[col] for row in rows if row[col])
    return [(option, counts.get(option, 0)) for option in q["options"]]


def crosstab(question: Question | dict, rows: list[list[str]], groups: list[str]) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Counts of each answer (rows) per group (columns); ``groups[i]`` is the group of ``rows[i]``."""
    q = question if isinstance(question, dict) else question.as_dict()
    columns = sorted({g for g in groups if g})
    by_group: dict[str, list[list[str]]] = {group: [] for group in columns}
    for row, group in zip(rows, groups, strict=False):
        if group:
            by_group[group].append(row)
    per_group = [frequencies(q, by_group[group]) for group in columns]
    return columns, [(label, [counts[index][1] for counts in per_group])
                     for index, (label, _total) in enumerate(frequencies(q, rows))]


# Size classes of German municipalities by population (as the BBSR's Gemeindegrößenklassen).
SIZE_CLASSES = [
    (500_000, "Großstadt ab 500.000"),
    (100_000, "Großstadt 100.000–499.999"),
    (20_000, "Mittelstadt 20.000–99.999"),
    (5_000, "Kleinstadt 5.000–19.999"),
    (0, "Landgemeinde unter 5.000"),
]


def size_class(population: int | None) -> str:
    if population is None:
        return ""
    for bound, label in SIZE_CLASSES:
        if population >= bound:
            return label
    return ""


def normalise_ags(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits if len(digits) in (5, 8) else ""
