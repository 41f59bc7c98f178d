"""CSV import of the directory: the pure parsing and validation core (no Django).

The file (one person per line, the first line names the columns) is read as a stream: the
bytes are decoded chunk by chunk and each line is checked and turned into a small
:class:`ImportRow`, so a file of 100,000 lines never sits in memory as text. What the
database knows (existing entries, accounts, consent) is checked by the Django glue in
``people.io_actions``; everything here is about one line and the file as a whole.

Columns (German names, case and umlaut spelling do not matter; ``-`` and spaces count as ``_``;
the column order is free, unknown columns are refused, every column is optional except that
a person needs a name, given/family name or function)::

    name                 display name (default: "Vorname Nachname", else the function)
    vorname, nachname    given and family name (personal data: need consent, see below)
    organisation         organisation (created in the municipality when new)
    organisationseinheit unit (Amt, Abteilung, Sachgebiet)
    funktion             function or title as text (e.g. "Leiter Ordnungsamt")
    funktionen           functions held, ";"-separated (created when new, e.g. "Leitung Krisenstab")
    vertretung_fuer      functions the person deputises for, ";"-separated
    kompetenzen          competences, ";"-separated codes or labels of the vocabulary
    buero, mobil, funktionspostfach, email, funkrufname, privat
                         reachability (phone numbers are checked and stored in international
                         form; "privat" is seen only by the person and the staff's S1/Leitung)
    erreichbarkeit       rufbereitschaft | 24/7 | buerozeiten (for every channel of the line)
    sichtbarkeit         intern | netzwerk | oeffentlich (default intern)
    externer_schluessel  key of the source system; the same key updates the same entry
    einwilligung         ja | nein: the person consented to their personal data being kept
    einwilligung_datum   date of the consent (TT.MM.JJJJ or JJJJ-MM-TT), needed with "ja"
    einwilligung_nachweis where the signed consent is kept (optional)
    konto                user name of the person's platform account: links the entry to it (then
                         personal data needs no separate consent)

Encodings: UTF-8 with or without BOM; otherwise Windows-1252 (what Excel writes on German
Windows), then Latin-1. Delimiter: ``;`` (German Excel) or ``,`` (or a tab), taken from the
header line. A cell starting with ``=``, ``+``, ``-`` or ``@`` outside a phone number is refused
(CSV/formula injection), as are line breaks and control characters in any cell (vCard injection);
a leading apostrophe before such a character (how our CSV export guards cells) is removed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from krisenwissen.search.text import fold

from .validation import clean_channel_value, has_control_characters

DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_ERRORS = 200
MAX_FIELD = 1000
CHUNK = 64 * 1024

CHANNEL_COLUMNS = ("buero", "mobil", "funktionspostfach", "email", "funkrufname", "privat")
PERSONAL_COLUMNS = ("vorname", "nachname", "mobil", "email", "privat")
LIST_COLUMNS = ("funktionen", "vertretung_fuer", "kompetenzen")
COLUMNS = (
    "name", "vorname", "nachname", "organisation", "organisationseinheit", "funktion", "funktionen", "vertretung_fuer",
    "kompetenzen", *CHANNEL_COLUMNS, "erreichbarkeit", "sichtbarkeit", "externer_schluessel",
    "einwilligung", "einwilligung_datum", "einwilligung_nachweis", "konto",
)
ALIASES = {
    "anzeigename": "name", "given_name": "vorname", "family_name": "nachname", "familienname": "nachname",
    "organisation": "organisation", "organization": "organisation", "einheit": "organisationseinheit", "unit": "organisationseinheit",
    "amt": "organisationseinheit", "position": "funktion", "titel": "funktion", "function": "funktion",
    "stabsfunktionen": "funktionen", "vertretung_von": "vertretung_fuer", "vertretung": "vertretung_fuer", "deputy_of": "vertretung_fuer",
    "competences": "kompetenzen", "telefon": "buero", "buero_telefon": "buero", "telefon_buero": "buero", "office": "buero",
    "handy": "mobil", "mobile": "mobil", "mobiltelefon": "mobil", "e_mail": "email", "mail": "email",
    "funktionsmail": "funktionspostfach", "functional_mailbox": "funktionspostfach", "funkruf": "funkrufname",
    "radio_call_sign": "funkrufname", "availability": "erreichbarkeit", "visibility": "sichtbarkeit",
    "externer_schlussel": "externer_schluessel", "external_key": "externer_schluessel", "schluessel": "externer_schluessel",
    "consent": "einwilligung", "benutzername": "konto", "account": "konto", "username": "konto", "einwilligung_am": "einwilligung_datum", "consent_date": "einwilligung_datum",
}
AVAILABILITY = {"rufbereitschaft": "rufbereitschaft", "24/7": "rund_um_die_uhr", "rund_um_die_uhr": "rund_um_die_uhr",
                "rund um die uhr": "rund_um_die_uhr", "buerozeiten": "buerozeiten", "bürozeiten": "buerozeiten", "": ""}
VISIBILITY = {"intern": "intern", "netzwerk": "netzwerk", "oeffentlich": "oeffentlich", "öffentlich": "oeffentlich", "": ""}
YES = {"ja", "j", "yes", "x", "1", "wahr"}
NO = {"nein", "n", "no", "0", "falsch", ""}
FORMULA_START = ("=", "+", "-", "@")
FIELD_LABELS = {
    "name": "Name", "vorname": "Vorname", "nachname": "Nachname", "organisation": "Organisation",
    "organisationseinheit": "Organisationseinheit", "funktion": "Funktion", "funktionen": "Funktionen",
    "vertretung_fuer": "Vertretung für", "kompetenzen": "Kompetenzen", "buero": "Büro", "mobil": "Mobil",
    "funktionspostfach": "Funktionspostfach", "email": "E-Mail", "funkrufname": "Funkrufname", "privat": "Privat",
    "erreichbarkeit": "Erreichbarkeit", "sichtbarkeit": "Sichtbarkeit", "externer_schluessel": "Externer Schlüssel",
    "einwilligung": "Einwilligung", "einwilligung_datum": "Einwilligung Datum", "einwilligung_nachweis": "Einwilligung Nachweis", "konto": "Konto",
}
MAX_LENGTH = {"name": 200, "vorname": 100, "nachname": 100, "organisation": 200, "organisationseinheit": 200,
              "funktion": 200, "externer_schluessel": 200, "einwilligung_nachweis": 400, "funkrufname": 254, "konto": 150}


class ImportFileError(Exception):
    """The file as a whole cannot be read (German message for the user)."""


@dataclass(frozen=True)
class RowError:
    line: int  # 0: the file as a whole
    column: str  # column key ("" for the whole line)
    message: str

    def __str__(self) -> str:
        where = f"Zeile {self.line}" if self.line else "Datei"
        if self.column:
            where += f", Feld „{FIELD_LABELS.get(self.column, self.column)}“"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ImportRow:
    line: int
    display_name: str
    given_name: str = ""
    family_name: str = ""
    organisation: str = ""
    unit: str = ""
    position: str = ""
    functions: tuple[str, ...] = ()
    deputy_for: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()
    channels: tuple[tuple[str, str], ...] = ()
    availability: str = ""
    visibility: str = ""
    external_key: str = ""
    consent: bool = False
    consent_date: dt.date | None = None
    consent_note: str = ""
    account: str = ""

    @property
    def personal_columns(self) -> list[str]:
        """Columns of this line holding personal data (need an account or consent)."""
        used = [c for c, v in (("vorname", self.given_name), ("nachname", self.family_name)) if v]
        return used + [kind for kind, _value in self.channels if kind in PERSONAL_COLUMNS]

    @property
    def match_key(self) -> str:
        """Normalised name + organisation: the same person when no external key is given."""
        return f"{normal(self.display_name)}|{normal(self.organisation)}"


@dataclass
class ParseResult:
    columns: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    encoding: str = ""
    delimiter: str = ""
    lines: int = 0

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, message))

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def normal(text: str) -> str:
    """Folded words (case, umlauts, accents, spacing do not matter)."""
    return " ".join(fold(text or "").split())


def normal_header(text: str) -> str:
    text = unicodedata.normalize("NFC", (text or "").strip().strip("\ufeff").lower())
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    for ch in " -./":
        text = text.replace(ch, "_")
    while "__" in text:
        text = text.replace("__", "_")
    return text.strip("_")


# --- encoding and delimiter ------------------------------------------------------------------

ENCODING_NAMES = {"utf-8-sig": "UTF-8 (mit BOM)", "utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO 8859-1)"}


def _candidates(head: bytes) -> list[str]:
    if head.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig"]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or b"\x00" in head:
        raise ImportFileError(
            "Die Datei ist in UTF-16/UTF-32 oder keine Textdatei. Bitte als „CSV UTF-8 (durch Trennzeichen getrennt)“ "
            "oder „CSV (Trennzeichen-getrennt)“ speichern.")
    order = ["utf-8", "cp1252", "latin-1"]
    try:
        from charset_normalizer import (
            from_bytes,  # optional: only a tie-breaker between the allowed encodings
        )
    except ImportError:  # pragma: no cover - charset-normalizer is installed with requests
        return order
    try:
        head.decode("utf-8")
        return order
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a multibyte character cut at the end of the sample
            return order
    best = from_bytes(head, cp_isolation=["cp1252", "latin_1", "iso8859_15"]).best()
    if best is not None and best.encoding in ("latin_1", "iso8859_15"):
        return ["latin-1", "cp1252"]
    return ["cp1252", "latin-1"]


def _decoded_lines(stream, encoding: str) -> Iterator[str]:
    """Text lines of the binary stream decoded chunk by chunk (keeps the line endings)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    rest = ""
    while True:
        chunk = stream.read(CHUNK)
        text = decoder.decode(chunk, final=not chunk)
        if text:
            text = rest + text
            lines = text.splitlines(keepends=True)
            rest = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
            yield from lines
        if not chunk:
            break
    if rest:
        yield rest


def _sniff_delimiter(header: str) -> str:
    counts = {d: 0 for d in (";", ",", "\t")}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


# --- cells -------------------------------------------------------------------------------


def _strip_guard(value: str) -> str:
    """Undo the apostrophe our CSV export puts before = + - @ (formula guard)."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _text(result: ParseResult, line: int, column: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if has_control_characters(value):
        result.add_error(line, column, "Zeilenumbrüche, Tabulatoren und Steuerzeichen sind nicht erlaubt.")
        return ""
    if value.startswith(FORMULA_START):
        result.add_error(line, column, f"beginnt mit „{value[0]}“: Formeln werden nicht übernommen (Schutz vor CSV-Injection).")
        return ""
    limit = MAX_LENGTH.get(column, MAX_FIELD)
    if len(value) > limit:
        result.add_error(line, column, f"höchstens {limit} Zeichen (hier {len(value)}).")
        return ""
    return value


def _list(result: ParseResult, line: int, column: str, value: str) -> tuple[str, ...]:
    items = []
    for part in value.split(";"):
        part = _text(result, line, column, part)
        if part and part not in items:
            items.append(part)
    if len(items) > 50:
        result.add_error(line, column, "höchstens 50 Einträge.")
        return ()
    return tuple(items)


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _row(result: ParseResult, line: int, values: dict[str, str], competences: dict[str, str], today: dt.date) -> ImportRow | None:
    before = result.error_count
    get = values.get
    text = {c: _text(result, line, c, get(c, "")) for c in
            ("name", "vorname", "nachname", "organisation", "organisationseinheit", "funktion", "externer_schluessel",
             "einwilligung_nachweis", "konto")}
    channels = []
    for kind in CHANNEL_COLUMNS:
        raw = get(kind, "").strip()
        if not raw:
            continue
        if kind == "funkrufname":
            value = _text(result, line, kind, raw)
            if value:
                channels.append((kind, value))
            continue
        try:
            channels.append((kind, clean_channel_value(kind, raw)))
        except ValueError as exc:
            result.add_error(line, kind, str(exc))
    functions = _list(result, line, "funktionen", get("funktionen", ""))
    deputy_for = _list(result, line, "vertretung_fuer", get("vertretung_fuer", ""))
    codes = []
    for label in _list(result, line, "kompetenzen", get("kompetenzen", "")):
        code = competences.get(normal(label))
        if code is None:
            result.add_error(line, "kompetenzen", f"unbekannte Kompetenz „{label[:80]}“ (Schlüssel oder Bezeichnung aus dem Vokabular).")
        elif code not in codes:
            codes.append(code)
    availability = AVAILABILITY.get(get("erreichbarkeit", "").strip().lower())
    if availability is None:
        result.add_error(line, "erreichbarkeit", "erlaubt sind rufbereitschaft, 24/7 oder buerozeiten.")
    visibility = VISIBILITY.get(get("sichtbarkeit", "").strip().lower())
    if visibility is None:
        result.add_error(line, "sichtbarkeit", "erlaubt sind intern, netzwerk oder oeffentlich.")
    consent_raw = get("einwilligung", "").strip().lower()
    consent = consent_raw in YES
    if not consent and consent_raw not in NO:
        result.add_error(line, "einwilligung", "bitte „ja“ oder „nein“.")
    consent_date = None
    date_raw = get("einwilligung_datum", "").strip()
    if date_raw:
        consent_date = parse_date(date_raw)
        if consent_date is None:
            result.add_error(line, "einwilligung_datum", f"„{date_raw[:40]}“ ist kein Datum (TT.MM.JJJJ).")
        elif consent_date > today:
            result.add_error(line, "einwilligung_datum", "liegt in der Zukunft.")
    if consent and not date_raw:
        result.add_error(line, "einwilligung_datum", "bei „einwilligung = ja“ bitte das Datum der Einwilligung angeben.")
    display = text["name"] or f"{text['vorname']} {text['nachname']}".strip() or text["funktion"]
    if not display and result.error_count == before:
        result.add_error(line, "name", "bitte einen Namen, Vor-/Nachnamen oder eine Funktion angeben.")
    if result.error_count != before:
        return None
    row = ImportRow(
        line=line, display_name=display, given_name=text["vorname"], family_name=text["nachname"],
        organisation=text["organisation"], unit=text["organisationseinheit"], position=text["funktion"],
        functions=functions, deputy_for=deputy_for, competences=tuple(codes), channels=tuple(channels),
        availability=availability or "", visibility=visibility or "", external_key=text["externer_schluessel"],
        consent=consent, consent_date=consent_date if consent else None, consent_note=text["einwilligung_nachweis"], account=text["konto"],
    )
    if not consent and not row.account:
        for column in row.personal_columns:
            result.add_error(line, column, "persönliche Angabe ohne Einwilligung: nur mit „einwilligung = ja“ und "
                                           "Datum (sonst nur funktionale Angaben: Funktion, Büro, Funktionspostfach, Funkrufname).")
        if row.personal_columns:
            return None
    return row


def header_columns(cells: list[str], result: ParseResult) -> list[str]:
    columns = []
    for number, cell in enumerate(cells, start=1):
        key = normal_header(cell)
        key = ALIASES.get(key, key)
        if key not in COLUMNS:
            shown = cell.strip()[:60] or "(leer)"
            result.add_error(1, "", f"unbekannte Spalte „{shown}“ (Spalte {number}). Erlaubt sind: {', '.join(COLUMNS)}.")
        elif key in columns:
            result.add_error(1, "", f"die Spalte „{key}“ steht doppelt in der Kopfzeile (Spalte {number}).")
        columns.append(key)
    if result.ok and not {"name", "vorname", "nachname", "funktion"} & set(columns):
        result.add_error(1, "", "die Kopfzeile braucht eine Spalte name, vorname/nachname oder funktion.")
    return columns


def parse(stream, *, competences: dict[str, str] | None = None, max_rows: int = DEFAULT_MAX_ROWS,
          max_bytes: int = DEFAULT_MAX_BYTES, today: dt.date | None = None) -> ParseResult:
    """Read and check the CSV in the binary, seekable ``stream``.

    ``competences`` maps normalised codes and labels of the vocabulary to codes. Lines are
    numbered as in a spreadsheet (the header is line 1). Duplicates inside the file (same
    external key, or the same normalised name and organisation) are errors naming both lines.
    """
    competences = competences or {}
    today = today or dt.date.today()
    if isinstance(stream, bytes | bytearray):
        stream = io.BytesIO(stream)
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    result = ParseResult()
    if size == 0:
        result.add_error(0, "", "Die Datei ist leer.")
        return result
    if size > max_bytes:
        result.add_error(0, "", f"Die Datei ist zu groß ({size / 1_048_576:.1f} MB, höchstens {max_bytes / 1_048_576:.0f} MB).")
        return result
    try:
        candidates = _candidates(stream.read(CHUNK))
    except ImportFileError as exc:
        result.add_error(0, "", str(exc))
        return result
    for number, encoding in enumerate(candidates):
        stream.seek(0)
        attempt = ParseResult(encoding=encoding)
        try:
            _parse_lines(attempt, _decoded_lines(stream, encoding), competences, max_rows, today)
        except UnicodeDecodeError:
            if number + 1 < len(candidates):
                continue
            attempt = ParseResult(encoding=encoding)
            attempt.add_error(0, "", "Die Zeichenkodierung der Datei ist unbekannt. Bitte als UTF-8 oder Windows-1252 speichern.")
        return attempt
    return result  # pragma: no cover - the loop always returns


def _parse_lines(result: ParseResult, lines: Iterator[str], competences, max_rows: int, today) -> None:
    first = next(lines, "")
    while first is not None and not first.strip():
        first = next(lines, None)
    if not first:
        result.add_error(0, "", "Die Datei ist leer.")
        return
    delimiter = _sniff_delimiter(first)
    result.delimiter = delimiter

    def all_lines():
        yield first
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter, quotechar='"', strict=True)
    try:
        header = next(reader)
        columns = header_columns(header, result)
        result.columns = columns
        if not result.ok:
            return
        seen_keys: dict[str, int] = {}
        seen_names: dict[str, int] = {}
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            result.lines += 1
            if result.lines > max_rows:
                result.add_error(0, "", f"Die Datei hat mehr als {max_rows:,} Datenzeilen; bitte aufteilen.".replace(",", "."))
                return
            if len(cells) != len(columns):
                result.add_error(line, "", f"{len(cells)} statt {len(columns)} Felder (Trennzeichen „{delimiter}“ oder "
                                           "Anführungszeichen prüfen).")
                continue
            if any(len(c) > 4 * MAX_FIELD for c in cells):
                result.add_error(line, "", "ein Feld ist viel zu lang.")
                continue
            values = {column: _strip_guard(cell) for column, cell in zip(columns, cells, strict=True)}
            row = _row(result, line, values, competences, today)
            if row is None:
                continue
            if row.external_key:
                other = seen_keys.setdefault(row.external_key, line)
                if other != line:
                    result.add_error(line, "externer_schluessel", f"derselbe externe Schlüssel wie in Zeile {other} (doppelte Person).")
                    continue
            other = line if row.external_key else seen_names.setdefault(row.match_key, line)
            if other != line:
                result.add_error(line, "name", f"dieselbe Person (Name und Organisation) wie in Zeile {other}.")
                continue
            result.rows.append(row)
    except csv.Error as exc:
        result.add_error(reader.line_num, "", f"die Zeile ist kein gültiges CSV ({exc}); Anführungszeichen prüfen.")
