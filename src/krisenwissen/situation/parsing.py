"""Parsing and validating Lagebild data files: a pure module (no Django).

Every parser returns a ``Parsed`` result: the observations as ``(ags, indicator, iso_date,
value)`` tuples, area reference rows, rejected rows with line number and reason, and a
``file_error`` when the file as a whole is unusable (wrong format, unreadable encoding, no
data rows). A file with a ``file_error`` must not be imported at all; rows with errors are
reported and skipped, the rest is imported.

Formats (``FORMATS``): see docs/situation.md for the exact headers.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

MIN_DATE = date(2020, 1, 1)
MAX_ERRORS_LISTED = 200

FORMATS = {
    "districts": "Kreis-Zeitreihe (TSV, de-district_timeseries-<AGS>.tsv)",
    "districts-ref": "Kreis-Referenztabelle (TSV, ref-de-districts.tsv)",
    "divi-districts": "DIVI-Intensivregister je Kreis (TSV, <AGS>.tsv)",
    "intensivregister": "RKI/DIVI Intensivregister Deutschland/Bundesländer (CSV)",
    "rki-landkreise": "RKI 7-Tage-Inzidenz der Landkreise (CSV, Tabellenschema)",
    "rki-deutschland": "RKI 7-Tage-Inzidenz Deutschland (CSV)",
    "generic": "Allgemeines CSV (ags;indikator;datum;wert)",
}

HEADERS = {
    "districts": ["Date", "Cases", "Deaths", "Cases_New", "Deaths_New", "Cases_Last_Week", "Deaths_Last_Week",
                  "Cases_Per_Million", "Deaths_Per_Million", "Cases_New_Per_Million", "Deaths_New_Per_Million",
                  "Cases_Last_Week_Per_Million", "Deaths_Last_Week_Per_Million",
                  "DIVI_Intensivstationen_Covid_Prozent", "DIVI_Intensivstationen_Betten_belegt_Prozent",
                  "Cases_Last_Week_7Day_Percent"],
    "districts-ref": ["LK_ID", "LK_Name", "LK_Typ", "Population", "BL_Code", "BL_Name"],
    "divi-districts": ["Date", "betten_ges", "betten_belegt", "betten_belegt_proz", "faelle_covid_aktuell",
                       "faelle_covid_aktuell_proz", "faelle_covid_aktuell_invasiv_beatmet",
                       "faelle_covid_aktuell_beatmet_proz"],
    "intensivregister": ["datum", "bundesland_id", "bundesland_name", "behandlungsgruppe",
                         "behandlungsgruppe_level_2", "anzahl_meldebereiche", "faelle_covid_aktuell",
                         "faelle_covid_erstaufnahmen", "intensivbetten_belegt", "intensivbetten_frei"],
    "rki-landkreise": ["Meldedatum", "Landkreis_id", "Bevoelkerung", "Faelle_gesamt", "Faelle_neu",
                       "Faelle_7-Tage", "Inzidenz_7-Tage"],
    "rki-deutschland": ["Meldedatum", "Altersgruppe", "Bevoelkerung", "Faelle_gesamt", "Faelle_neu",
                        "Faelle_7-Tage", "Inzidenz_7-Tage"],
    "generic": ["ags", "indikator", "datum", "wert"],
}
GENERIC_ALIASES = {"indicator": "indikator", "date": "datum", "value": "wert", "quelle": "quelle",
                   "source": "quelle"}


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass(frozen=True)
class AreaRow:
    ags: str
    name: str
    kind: str
    population: int | None
    state_code: str
    state_name: str
    parent: str = ""                 # the key of the area it belongs to (a Bezirk), or was merged into
    valid_until: date | None = None  # the last day it existed as an area of its own (former districts)


# Former and sub-district keys that data sources use but the district reference table lacks
# (territorial changes happen): ags -> (name, kind, state code, state name, parent key, valid until, note).
# The reference import adds them with their validity, so their files are imported and reported.
_HAMBURG_NOTE = ("Bezirk {name} ({ags}) der Freien und Hansestadt Hamburg (02000): ein Meldebezirk des "
                 "DIVI-Intensivregisters, kein eigener Kreis")
TERRITORIAL_KEYS: dict[str, tuple[str, str, str, str, str, date | None, str]] = {
    **{ags: (f"Hamburg, Bezirk {name}", "Bezirk", "HH", "Hamburg", "02000", None,
             _HAMBURG_NOTE.format(name=name, ags=ags))
       for ags, name in (("02100", "Hamburg-Mitte"), ("02200", "Altona"), ("02300", "Eimsbüttel"),
                         ("02400", "Hamburg-Nord"), ("02500", "Wandsbek"), ("02600", "Bergedorf"),
                         ("02700", "Harburg"))},
    "16056": ("Eisenach", "Kreisfreie Stadt (bis 30.06.2021)", "TH", "Thüringen", "16063", date(2021, 6, 30),
              "Eisenach (16056) war bis 30.06.2021 kreisfreie Stadt und gehört seit 01.07.2021 zum "
              "Wartburgkreis (16063)"),
}


def territorial_note(ags: str) -> str | None:
    """The note on a former or sub-district key, or None for an ordinary district."""
    entry = TERRITORIAL_KEYS.get(ags)
    return entry[-1] if entry else None


@dataclass
class Parsed:
    fmt: str
    rows: list[tuple[str, str, str, float]] = field(default_factory=list)
    # Fast path of the time-series parsers: {(ags, indicator): [(iso_date, value), ...]}
    series: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=dict)
    areas: list[AreaRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str | None = None
    rows_read: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def all_rows(self):
        """Every observation as (ags, indicator, iso_date, value)."""
        yield from self.rows
        for (ags, key), items in self.series.items():
            for day, value in items:
                yield (ags, key, day, value)

    @property
    def observation_count(self) -> int:
        return len(self.rows) + sum(len(v) for v in self.series.values())

    @property
    def ok(self) -> bool:
        return self.file_error is None

    def reject(self, line: int, reason: str) -> None:
        self.errors.append(RowError(line, reason))


class _FileError(Exception):
    pass


# --- helpers -----------------------------------------------------------------------------------

def decode(data: bytes, parsed: Parsed) -> str:
    """UTF-8 (with or without BOM); Windows-1252 as fallback with a warning."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _FileError("Die Datei ist weder UTF-8 noch Windows-1252 kodiert.") from None
        parsed.warnings.append("Die Datei ist nicht UTF-8-kodiert; sie wurde als Windows-1252 gelesen.")
    if "\x00" in text[:4096]:
        raise _FileError("Die Datei ist keine Textdatei (Binärdaten).")
    return text.lstrip("\ufeff")


def number(text: str) -> float:
    """A number with decimal point or decimal comma ("12,5"); no thousands separators."""
    t = text.strip()
    if "_" in t:
        raise ValueError(t)
    if "," in t:
        if "." in t or t.count(",") > 1:
            raise ValueError(t)
        t = t.replace(",", ".")
    value = float(t)
    if not math.isfinite(value):
        raise ValueError(t)
    return value


def count(text: str) -> int:
    """A non-negative whole count ("12" or "12.0")."""
    try:
        if "_" in text:
            raise ValueError(text)
        value = int(text)
    except ValueError:
        value = number(text)
    else:
        if value < 0:
            raise ValueError("negativ")
        return value
    if value < 0:
        raise ValueError("negativ")
    if value != int(value):
        raise ValueError("keine ganze Zahl")
    return int(value)


def _iso(text: str, min_date: date, max_date: date) -> str:
    t = text.strip()
    try:
        d = date.fromisoformat(t)
    except ValueError:
        raise ValueError(f"Datum „{t}“ ist kein Datum im Format JJJJ-MM-TT") from None
    if len(t) != 10:
        raise ValueError(f"Datum „{t}“ ist kein Datum im Format JJJJ-MM-TT")
    if not min_date <= d <= max_date:
        raise ValueError(f"Datum {t} liegt außerhalb des zulässigen Bereichs "
                         f"{min_date.isoformat()} bis {max_date.isoformat()}")
    return t


def _rows(text: str, delimiter: str | None) -> tuple[list[str], Iterable[list[str]]]:
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max(("\t", ";", ","), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise _FileError("Die Datei ist leer.") from None
    return [h.strip() for h in header], reader


def _check_header(header: list[str], fmt: str) -> dict[str, int]:
    expected = HEADERS[fmt]
    index = {name: i for i, name in enumerate(header)}
    missing = [c for c in expected if c not in index]
    if missing:
        guess = detect_format(header)
        hint = f" Die Kopfzeile passt zum Format „{FORMATS[guess]}“." if guess and guess != fmt else ""
        raise _FileError(f"Falsches Format: Spalten fehlen: {', '.join(missing)}.{hint}")
    return index


def detect_format(header: list[str]) -> str | None:
    cols = {h.strip().lstrip("\ufeff") for h in header}
    lowered = {GENERIC_ALIASES.get(c.lower(), c.lower()) for c in cols}
    for fmt in ("districts", "divi-districts", "districts-ref", "intensivregister", "rki-landkreise",
                "rki-deutschland"):
        if set(HEADERS[fmt]) <= cols:
            return fmt
    if set(HEADERS["generic"]) <= lowered:
        return "generic"
    return None


AGS_RE = re.compile(r"^(?:\d{2}|\d{5}|\d{8})$")
AGS_IN_NAME = re.compile(r"(\d{5})(?=\.[tc]sv$)")


def ags_from_filename(name: str) -> str | None:
    m = AGS_IN_NAME.search(name)
    return m.group(1) if m else None


# --- parsers ------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _valid_days(min_date: date, max_date: date) -> frozenset[str]:
    """Every allowed day as ISO text: one set lookup validates format and range."""
    n = (max_date - min_date).days + 1
    return frozenset((min_date + timedelta(days=i)).isoformat() for i in range(max(n, 0)))


def _time_series(text: str, parsed: Parsed, *, fmt: str, ags: str, columns: dict[str, str],
                 min_date: date, max_date: date) -> None:
    """TSV time series of one area: one row per day, whole non-negative counts in named columns.

    The hot loop of the bulk import (512,000 rows): the common case (valid ISO date, plain
    integers) takes a fast path; anything else goes through the full checks with a reason.
    """
    header, reader = _rows(text, "\t")
    index = _check_header(header, fmt)
    date_col = index["Date"]
    cols = [(index[c], key) for c, key in columns.items()]
    outs = [parsed.series.setdefault((ags, key), []) for _, key in cols]
    idx = [i for i, _ in cols]
    width = len(header)
    seen: dict[str, int] = {}
    valid_days = _valid_days(min_date, max_date)
    two = len(idx) == 2
    i0, i1 = (idx + [0, 0])[:2]
    out0, out1 = (outs + [None, None])[:2]
    line = 1
    rows_read = 0
    for row in reader:
        line += 1
        if not row:
            continue
        rows_read += 1
        if len(row) != width:
            parsed.reject(line, f"{len(row)} statt {width} Spalten")
            continue
        day = row[date_col]
        if day not in valid_days:
            try:
                _iso(day, min_date, max_date)
                reason = f"Datum „{day}“ ist kein Datum im Format JJJJ-MM-TT"
            except ValueError as exc:
                reason = str(exc)
            parsed.reject(line, reason)
            continue
        if day in seen:
            parsed.reject(line, f"Tag {day} doppelt (zuerst in Zeile {seen[day]})")
            continue
        if two:  # the bulk case (district files): both cells plain non-negative integers
            a, b = row[i0], row[i1]
            if a.isdigit() and b.isdigit() and a.isascii() and b.isascii():
                seen[day] = line
                out0.append((day, int(a)))
                out1.append((day, int(b)))
                continue
        values = []
        bad = None
        for i in idx:
            cell = row[i]
            if cell.isdigit() and cell.isascii():  # fast path: a plain non-negative integer
                values.append(int(cell))
                continue
            if cell == "" or cell == "NA":
                values.append(None)
                continue
            try:
                values.append(count(cell))
            except ValueError:
                bad = f"Spalte {header[i]}: „{cell}“ ist keine nicht negative ganze Zahl"
                break
        if bad:
            parsed.reject(line, bad)
            continue
        seen[day] = line
        for out, v in zip(outs, values, strict=True):
            if v is not None:
                out.append((day, v))
    parsed.rows_read += rows_read


def _nonneg(text: str) -> float:
    v = number(text)
    if v < 0:
        raise ValueError("negativ")
    return v


def parse_districts(text: str, parsed: Parsed, *, ags: str, min_date: date, max_date: date) -> None:
    # Only the daily counts are stored: the 7-day incidence is computed from them (the
    # source's Cases_Last_Week_Per_Million is itself derived, not the figure the RKI published
    # on the day, so it is not copied; see docs/situation.md).
    columns = {"Cases_New": "faelle_neu", "Deaths_New": "todesfaelle_neu"}
    _time_series(text, parsed, fmt="districts", ags=ags, columns=columns, min_date=min_date, max_date=max_date)


def parse_divi_districts(text: str, parsed: Parsed, *, ags: str, min_date: date, max_date: date) -> None:
    columns = {"betten_ges": "its_betten_gesamt", "betten_belegt": "its_betten_belegt",
               "faelle_covid_aktuell": "its_covid"}
    _time_series(text, parsed, fmt="divi-districts", ags=ags, columns=columns, min_date=min_date,
                 max_date=max_date)


def parse_reference(text: str, parsed: Parsed) -> None:
    header, reader = _rows(text, "\t")
    index = _check_header(header, "districts-ref")
    seen: dict[str, int] = {}
    line = 1
    for row in reader:
        line += 1
        if not row:
            continue
        parsed.rows_read += 1
        if len(row) != len(header):
            parsed.reject(line, f"{len(row)} statt {len(header)} Spalten")
            continue
        ags = row[index["LK_ID"]].strip()
        if not re.fullmatch(r"\d{5}", ags):
            parsed.reject(line, f"Kreisschlüssel „{ags}“ hat nicht fünf Ziffern")
            continue
        if ags in seen:
            parsed.reject(line, f"Kreis {ags} doppelt (zuerst in Zeile {seen[ags]})")
            continue
        try:
            population = count(row[index["Population"]])
        except ValueError:
            parsed.reject(line, f"Einwohnerzahl „{row[index['Population']]}“ ungültig")
            continue
        name = row[index["LK_Name"]].strip()
        if not name:
            parsed.reject(line, "Name fehlt")
            continue
        seen[ags] = line
        parsed.areas.append(AreaRow(ags, name, row[index["LK_Typ"]].strip(), population,
                                    row[index["BL_Code"]].strip(), row[index["BL_Name"]].strip()))
    # The reference table lists Berlin's twelve Bezirke (11001..11012); DIVI and RKI files use
    # the official key of the city as a whole, 11000. Add it as their sum.
    berlin = [a for a in parsed.areas if a.ags.startswith("110") and a.ags != "11000"]
    if berlin and "11000" not in seen:
        parsed.areas.append(AreaRow("11000", "Berlin", "Kreisfreie Stadt",
                                    sum(a.population or 0 for a in berlin), "BE", "Berlin"))
    # Former and sub-district keys of other sources, with the area they belong to and their validity.
    if parsed.areas:
        for ags, (name, kind, code, state, parent, until, _note) in TERRITORIAL_KEYS.items():
            if ags not in seen:
                parsed.areas.append(AreaRow(ags, name, kind, None, code, state, parent, until))


def parse_intensivregister(text: str, parsed: Parsed, *, min_date: date, max_date: date) -> None:
    """Sum the treatment groups (Erwachsene, Kinder) per day and state ("00" = Germany)."""
    header, reader = _rows(text, ",")
    index = _check_header(header, "intensivregister")
    totals: dict[tuple[str, str], list[float]] = {}
    names: dict[str, str] = {}
    seen: dict[tuple, int] = {}
    line = 1
    for row in reader:
        line += 1
        if not row:
            continue
        parsed.rows_read += 1
        if len(row) != len(header):
            parsed.reject(line, f"{len(row)} statt {len(header)} Spalten")
            continue
        try:
            day = _iso(row[index["datum"]], min_date, max_date)
        except ValueError as exc:
            parsed.reject(line, str(exc))
            continue
        state = row[index["bundesland_id"]].strip()
        if not re.fullmatch(r"\d{2}", state) or int(state) > 16:
            parsed.reject(line, f"Bundesland-ID „{state}“ unbekannt")
            continue
        group = row[index["behandlungsgruppe_level_2"]].strip()
        key = (day, state, group)
        if key in seen:
            parsed.reject(line, f"Zeile doppelt (zuerst in Zeile {seen[key]})")
            continue
        try:
            covid = count(row[index["faelle_covid_aktuell"]])
            occupied = count(row[index["intensivbetten_belegt"]])
            free = count(row[index["intensivbetten_frei"]])
        except ValueError:
            parsed.reject(line, "Bettenzahl fehlt, ist negativ oder keine ganze Zahl")
            continue
        seen[key] = line
        names[state] = row[index["bundesland_name"]].strip()
        acc = totals.setdefault((day, state), [0, 0, 0])
        acc[0] += covid
        acc[1] += occupied
        acc[2] += occupied + free
    for (day, state), (covid, occupied, total) in totals.items():
        parsed.rows.append((state, "its_covid", day, covid))
        parsed.rows.append((state, "its_betten_belegt", day, occupied))
        parsed.rows.append((state, "its_betten_gesamt", day, total))
    parsed.meta["state_names"] = names


def _rki_incidence(text: str, parsed: Parsed, *, fmt: str, min_date: date, max_date: date,
                   known_ags: set[str] | None) -> None:
    header, reader = _rows(text, ",")
    index = _check_header(header, fmt)
    is_national = fmt == "rki-deutschland"
    seen: dict[tuple, int] = {}
    populations: dict[str, int] = {}
    line = 1
    i_date, i_new, i_inc, i_pop = index["Meldedatum"], index["Faelle_neu"], index["Inzidenz_7-Tage"], \
        index["Bevoelkerung"]
    i_key = index["Altersgruppe"] if is_national else index["Landkreis_id"]
    for row in reader:
        line += 1
        if not row:
            continue
        parsed.rows_read += 1
        if len(row) != len(header):
            parsed.reject(line, f"{len(row)} statt {len(header)} Spalten")
            continue
        key = row[i_key].strip()
        if is_national:
            if key != "00+":
                parsed.skipped += 1  # age groups: only the total "00+" is imported
                continue
            ags = "00"
        else:
            ags = key
            if ags == "u":
                parsed.reject(line, "Landkreis unbekannt („u“): keinem Gebiet zuzuordnen")
                continue
            if not re.fullmatch(r"\d{5}", ags) or (known_ags is not None and ags not in known_ags):
                parsed.reject(line, f"Unbekannter Kreisschlüssel (AGS) „{ags}“")
                continue
        try:
            day = _iso(row[i_date], min_date, max_date)
        except ValueError as exc:
            parsed.reject(line, str(exc))
            continue
        if (ags, day) in seen:
            parsed.reject(line, f"Tag {day} für {ags} doppelt (zuerst in Zeile {seen[(ags, day)]})")
            continue
        try:
            new = count(row[i_new])
            incidence = _nonneg(row[i_inc])
            population = count(row[i_pop])
        except ValueError:
            parsed.reject(line, "Fallzahl, Inzidenz oder Bevölkerung fehlt, ist negativ oder ungültig")
            continue
        seen[(ags, day)] = line
        populations[ags] = population
        parsed.rows.append((ags, "faelle_neu", day, new))
        parsed.rows.append((ags, "inzidenz_rki", day, incidence))
    parsed.meta["populations"] = populations


def parse_generic(text: str, parsed: Parsed, *, min_date: date, max_date: date, known_ags: set[str] | None,
                  known_indicators: set[str] | None) -> None:
    """``ags;indikator;datum;wert`` (also comma or tab separated; English names accepted)."""
    header, reader = _rows(text, None)
    normal = [GENERIC_ALIASES.get(h.lower(), h.lower()) for h in header]
    index = _check_header(normal, "generic")
    seen: dict[tuple, int] = {}
    line = 1
    for row in reader:
        line += 1
        if not row or all(not c.strip() for c in row):
            continue
        parsed.rows_read += 1
        if len(row) != len(header):
            parsed.reject(line, f"{len(row)} statt {len(header)} Spalten (Dezimalkomma in kommagetrennter Datei?)")
            continue
        ags = row[index["ags"]].strip()
        if not AGS_RE.match(ags) or (known_ags is not None and ags not in known_ags):
            parsed.reject(line, f"Unbekannter Gebietsschlüssel (AGS) „{ags}“")
            continue
        indicator = row[index["indikator"]].strip()
        if known_indicators is not None and indicator not in known_indicators:
            parsed.reject(line, f"Unbekannter Indikator „{indicator}“")
            continue
        try:
            day = _iso(row[index["datum"]], min_date, max_date)
        except ValueError as exc:
            parsed.reject(line, str(exc))
            continue
        try:
            value = number(row[index["wert"]])
        except ValueError:
            parsed.reject(line, f"Wert „{row[index['wert']]}“ ist keine Zahl")
            continue
        if value < 0:
            parsed.reject(line, f"Negativer Wert {row[index['wert']].strip()}")
            continue
        k = (ags, indicator, day)
        if k in seen:
            parsed.reject(line, f"Wert für {ags}/{indicator}/{day} doppelt (zuerst in Zeile {seen[k]})")
            continue
        seen[k] = line
        parsed.rows.append((ags, indicator, day, value))
        parsed.meta.setdefault("lines", []).append(line)


def parse(data: bytes, *, fmt: str | None = None, filename: str = "", ags: str | None = None,
          known_ags: set[str] | None = None, known_indicators: set[str] | None = None,
          min_date: date = MIN_DATE, max_date: date | None = None) -> Parsed:
    """Parse and validate one file. ``fmt=None`` detects the format from the header."""
    max_date = max_date or date.today()
    parsed = Parsed(fmt or "")
    try:
        if fmt == RKI_WORKBOOK or (fmt is None and data[:4] == b"PK\x03\x04"):
            parsed.fmt = RKI_WORKBOOK
            parse_rki_workbook(data, parsed, known_ags=known_ags, min_date=min_date, max_date=max_date)
            if parsed.rows_read == 0:
                raise _FileError("Die Arbeitsmappe enthält keine Datenzeilen.")
            if parsed.errors and len(parsed.errors) == parsed.rows_read:
                raise _FileError("Keine Zeile der Arbeitsmappe ist gültig.")
            return parsed
        if data[:4] == b"PK\x03\x04":
            raise _FileError(f"Die Datei ist eine Arbeitsmappe (XLSX), nicht im Format „{FORMATS.get(fmt, fmt)}“; "
                             f"unterstützt wird die RKI-Arbeitsmappe (Format {RKI_WORKBOOK}).")
        text = decode(data, parsed)
        first_line = text.split("\n", 1)[0].rstrip("\r")
        guessed = detect_format(re.split(r"[\t;,]", first_line))
        if fmt is None:
            if guessed is None:
                raise _FileError("Unbekanntes Dateiformat: die Kopfzeile passt zu keinem unterstützten Format.")
            fmt = guessed
            parsed.fmt = fmt
        if fmt not in FORMATS:
            raise _FileError(f"Unbekanntes Format „{fmt}“.")
        if fmt in ("districts", "divi-districts"):
            ags = ags or ags_from_filename(filename)
            if not ags:
                raise _FileError("Der Kreisschlüssel steht nicht im Dateinamen (…-<AGS>.tsv oder <AGS>.tsv).")
            if known_ags is not None and ags not in known_ags:
                raise _FileError(f"Unbekannter Kreisschlüssel (AGS) {ags}: nicht in der Kreis-Referenztabelle "
                                 f"(ggf. zuerst ref-de-districts.tsv importieren).")
            parsed.meta["ags"] = ags
            if territorial_note(ags):
                parsed.warnings.append(territorial_note(ags))
                parsed.meta["territorial"] = ags
            parser = parse_districts if fmt == "districts" else parse_divi_districts
            parser(text, parsed, ags=ags, min_date=min_date, max_date=max_date)
        elif fmt == "districts-ref":
            parse_reference(text, parsed)
        elif fmt == "intensivregister":
            parse_intensivregister(text, parsed, min_date=min_date, max_date=max_date)
        elif fmt in ("rki-landkreise", "rki-deutschland"):
            _rki_incidence(text, parsed, fmt=fmt, min_date=min_date, max_date=max_date, known_ags=known_ags)
        else:
            parse_generic(text, parsed, min_date=min_date, max_date=max_date, known_ags=known_ags,
                          known_indicators=known_indicators)
        if parsed.rows_read == 0:
            # A header without data rows (e.g. a district that no longer exists): reported, not failed.
            parsed.warnings.append("Die Datei enthält nur die Kopfzeile, keine Datenzeilen: nichts importiert.")
            parsed.meta["no_data_rows"] = True
        if parsed.errors and len(parsed.errors) == parsed.rows_read:
            raise _FileError("Keine Zeile der Datei ist gültig.")
    except _FileError as exc:
        parsed.file_error = str(exc)
        parsed.rows, parsed.series, parsed.areas = [], {}, []
    except csv.Error as exc:
        parsed.file_error = f"Die Datei ist kein gültiges CSV/TSV: {exc}"
        parsed.rows, parsed.series, parsed.areas = [], {}, []
    return parsed


# --- the RKI workbook of fixed 7-day figures (Fallzahlen_Kum_Tab_*.xlsx) ---------------------------

RKI_WORKBOOK = "rki-fixiert"
FORMATS[RKI_WORKBOOK] = "RKI-Arbeitsmappe Fallzahlen_Kum_Tab (XLSX): fixierte 7-Tage-Inzidenzen und -Fallzahlen"
PUBLISHED_INCIDENCE = "inzidenz_7t_veroeffentlicht"
PUBLISHED_CASES = "faelle_7t_veroeffentlicht"

# (sheet name, indicator, level); the district sheets are required, the state sheets optional.
WORKBOOK_SHEETS = [
    ("LK_7-Tage-Inzidenz (fixiert)", PUBLISHED_INCIDENCE, "kreis", True),
    ("LK_7-Tage-Fallzahlen (fixiert)", PUBLISHED_CASES, "kreis", True),
    ("BL_7-Tage-Inzidenz (fixiert)", PUBLISHED_INCIDENCE, "land", False),
    ("BL_7-Tage-Fallzahlen (fixiert)", PUBLISHED_CASES, "land", False),
]
WORKBOOK_MAX_ROWS = 1_000        # about 430 rows per district sheet
WORKBOOK_MAX_COLUMNS = 4_000     # one column per publication day: room for ten years
WORKBOOK_HEADER_ROWS = 30        # the header row (dates) must lie within the first rows
WORKBOOK_MAX_CELL_ERRORS = 50
KEY_HEADERS = {"lknr", "lk_id", "idlandkreis", "landkreis_id", "ags", "kreisschluessel", "kreisschlüssel"}
NAME_HEADERS = {"lk", "landkreis", "kreis", "name", "bundesland", "bl"}
# Districts the RKI lists that the district reference table no longer has: (merged into, last own day,
# explanation). Eisenach: part of the Wartburgkreis since 1 July 2021; the RKI reports its cases there
# since 14 July 2021 and shows 0 in Eisenach's own row afterwards (not a published value).
MERGED_DISTRICTS = {
    "16056": ("16063", date(2021, 7, 13),
              "SK Eisenach (16056) gehört seit 1. Juli 2021 zum Wartburgkreis (16063); das RKI führt seine Fälle "
              "seit 14.07.2021 dort"),
}
STATE_KEYS = {"gesamt": "00", "deutschland": "00", "baden-württemberg": "08", "bayern": "09", "berlin": "11",
              "brandenburg": "12", "bremen": "04", "hamburg": "02", "hessen": "06", "mecklenburg-vorpommern": "13",
              "niedersachsen": "03", "nordrhein-westfalen": "05", "rheinland-pfalz": "07", "saarland": "10",
              "sachsen": "14", "sachsen-anhalt": "15", "schleswig-holstein": "01", "thüringen": "16"}
# Berlin as a whole is a kreisfreie Stadt (§ 28b counts it as one); the district sheet lists only
# its twelve Bezirke, the state sheet Berlin as a whole: that row also feeds the city 11000.
STATE_ALSO = {"11": "11000"}
_GERMAN_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_STAND = re.compile(r"Stand:\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA (spreadsheet column names, as the person sees them)."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _where(sheet: str, row: int, col: int | None = None) -> str:
    text = f"Blatt „{sheet}“, Zeile {row}"
    return text + (f", Spalte {column_letter(col)}" if col else "")


def _header_date(value, min_date: date, max_date: date) -> date | None:
    """A publication day in the header row: a date-formatted cell or a text date (TT.MM.JJJJ or
    JJJJ-MM-TT); None if the cell is no date of the allowed range. Plain numbers are not taken for
    serial dates: a data row of case counts must never pass for a header."""
    from datetime import datetime

    day = None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        m = _GERMAN_DATE.match(value)
        try:
            day = date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else date.fromisoformat(value.strip())
        except ValueError:
            return None
    if day is None or not min_date <= day <= max_date:
        return None
    return day


def _district_key(value) -> str | None:
    """5113, 5113.0, "5113", "05113" → "05113"; None if the cell is no district key."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    if not text.isdigit() or not text.isascii() or not 4 <= len(text) <= 5:
        return None
    key = text.zfill(5)
    return key if "01" <= key[:2] <= "16" else None


def _cell_number(value) -> float:
    """A published value: a non-negative finite number (text numbers with decimal comma accepted)."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        v = float(value)
    elif isinstance(value, str):
        v = number(value)
    else:
        raise ValueError
    if not math.isfinite(v) or v < 0:
        raise ValueError
    return v


def _find_sheet(names: list[str], wanted: str) -> str | None:
    norm = lambda s: re.sub(r"[\s_-]+", "", s).casefold()  # noqa: E731
    target = norm(wanted)
    return next((n for n in names if norm(n) == target), None)


def parse_rki_workbook(data: bytes, parsed: Parsed, *, known_ags: set[str] | None, min_date: date,
                       max_date: date) -> None:
    """The fixed 7-day incidences and case counts of districts and states, as published each day.

    Checks the zip container first (core.safezip: member sizes, ratio), opens it read-only and
    reads every sheet through explicit row and column bounds. Every cell it cannot read is
    named with sheet, row and column; one such cell rejects the whole file (a workbook is one
    edition: half of it is not imported). Districts the platform does not know are rejected row
    by row; merged districts (Eisenach) are reported and skipped.
    """
    import zipfile
    from datetime import datetime

    import openpyxl

    from krisenwissen.core.safezip import ArchiveError, check_archive

    try:
        check_archive(data)
    except ArchiveError as exc:
        raise _FileError(f"Die Arbeitsmappe kann nicht gelesen werden: {exc}") from None
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
        raise _FileError(f"Die Datei ist keine lesbare Excel-Arbeitsmappe (XLSX): {type(exc).__name__}.") from None
    except Exception as exc:  # noqa: BLE001 - malformed XML inside the archive surfaces as many types
        raise _FileError(f"Die Datei ist keine lesbare Excel-Arbeitsmappe (XLSX): {type(exc).__name__}.") from None
    cell_errors: list[str] = []
    stand: datetime | None = None
    gaps = 0
    merged_notes: list[str] = []
    try:
        names = list(wb.sheetnames)
        for wanted, indicator, level, required in WORKBOOK_SHEETS:
            title = _find_sheet(names, wanted)
            if title is None:
                if required:
                    raise _FileError(f"Blatt „{wanted}“ fehlt in der Arbeitsmappe (vorhanden: "
                                     f"{', '.join(n[:40] for n in names[:12])}).")
                parsed.warnings.append(f"Blatt „{wanted}“ fehlt; Landeswerte dieses Blatts wurden nicht gelesen.")
                continue
            ws = wb[title]
            claimed_rows, claimed_cols = ws.max_row or 0, ws.max_column or 0
            if claimed_rows > WORKBOOK_MAX_ROWS or claimed_cols > WORKBOOK_MAX_COLUMNS:
                raise _FileError(
                    f"{_where(title, claimed_rows, claimed_cols)}: das Blatt gibt seine Größe mit {claimed_rows} "
                    f"Zeilen und {claimed_cols} Spalten an; gelesen werden höchstens {WORKBOOK_MAX_ROWS} Zeilen "
                    f"und {WORKBOOK_MAX_COLUMNS} Spalten. Nichts wurde importiert.")
            # Bounded reading: the sheet's own size claim (checked above) or, without one, the bounds + 1
            # (so that data beyond them is noticed).
            rows = ws.iter_rows(min_row=1, max_row=claimed_rows or WORKBOOK_MAX_ROWS + 1,
                                max_col=claimed_cols or WORKBOOK_MAX_COLUMNS + 1, values_only=True)
            header_row = None
            columns: dict[int, date] = {}
            key_col = name_col = None
            for r, row in enumerate(rows, start=1):
                if r > WORKBOOK_MAX_ROWS:
                    if any(c is not None for c in row):
                        raise _FileError(f"{_where(title, r)}: mehr als {WORKBOOK_MAX_ROWS} Zeilen. "
                                         f"Nichts wurde importiert.")
                    break
                if len(row) > WORKBOOK_MAX_COLUMNS and row[WORKBOOK_MAX_COLUMNS] is not None:
                    raise _FileError(f"{_where(title, r, WORKBOOK_MAX_COLUMNS + 1)}: mehr als "
                                     f"{WORKBOOK_MAX_COLUMNS} Spalten. Nichts wurde importiert.")
                if header_row is None:
                    for c in row[:3]:
                        if isinstance(c, str) and (m := _STAND.search(c)) and stand is None:
                            try:
                                stand = datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)),
                                                 int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0))
                            except ValueError:
                                stand = None
                    days = {j: _header_date(c, min_date, max_date) for j, c in enumerate(row)}
                    if sum(1 for v in days.values() if v) < 2:
                        if r >= WORKBOOK_HEADER_ROWS:
                            raise _FileError(f"Blatt „{title}“, Zeilen 1 bis {WORKBOOK_HEADER_ROWS}: keine Kopfzeile "
                                             f"mit Datumsangaben (TT.MM.JJJJ oder Tabellen-Datum) gefunden.")
                        continue
                    header_row = r
                    first_day_col = min(j for j, v in days.items() if v)
                    seen_days: dict[date, int] = {}
                    for j, c in enumerate(row):
                        if j < first_day_col:
                            label = str(c).strip().casefold() if c is not None else ""
                            if label in KEY_HEADERS:
                                key_col = j
                            elif label in NAME_HEADERS:
                                name_col = j
                            continue
                        if c is None or (isinstance(c, str) and not c.strip()):
                            continue  # trailing empty header cells: the column must stay empty (checked below)
                        day = days[j]
                        if day is None:
                            cell_errors.append(f"{_where(title, r, j + 1)}: „{str(c)[:40]}“ ist kein Datum "
                                               f"(TT.MM.JJJJ) im Bereich {min_date:%d.%m.%Y} bis {max_date:%d.%m.%Y}")
                            continue
                        if day in seen_days:
                            cell_errors.append(f"{_where(title, r, j + 1)}: Tag {day:%d.%m.%Y} doppelt (zuerst in "
                                               f"Spalte {column_letter(seen_days[day] + 1)})")
                            continue
                        seen_days[day] = j
                        columns[j] = day
                    empty_cols = {j for j, c in enumerate(row) if j >= first_day_col and j not in columns
                                  and (c is None or (isinstance(c, str) and not c.strip()))}
                    if level == "kreis" and key_col is None:
                        raise _FileError(f"{_where(title, r)}: keine Spalte mit dem Kreisschlüssel (LKNR) vor der "
                                         f"ersten Datumsspalte.")
                    if name_col is None:
                        name_col = next((j for j in range(first_day_col) if j != key_col), 0)
                    continue
                # a data row
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                    continue
                name = str(row[name_col]).strip() if name_col < len(row) and row[name_col] is not None else ""
                targets: list[str] = []
                until: date | None = None
                if level == "kreis":
                    raw = row[key_col] if key_col < len(row) else None
                    if raw is None and not any(row[j] is not None for j in columns if j < len(row)):
                        continue  # a footnote line (e.g. on Eisenach) without values
                    ags = _district_key(raw)
                    if ags is None:
                        shown = "leer" if raw is None else f"„{str(raw)[:20]}“"
                        cell_errors.append(f"{_where(title, r, key_col + 1)}: {shown} ist kein "
                                           f"Kreisschlüssel ({name or 'ohne Namen'})")
                        continue
                    if known_ags is not None and ags not in known_ags:
                        if ags in MERGED_DISTRICTS:
                            merged_notes.append(f"{_where(title, r)}: {MERGED_DISTRICTS[ags][2]}; die Zeile wurde "
                                                f"übersprungen (Kreis {ags} ist nicht in der Kreis-Referenztabelle).")
                        else:
                            parsed.reject(r, f"{_where(title, r, key_col + 1)}: unbekannter Kreisschlüssel {ags} "
                                             f"({name or 'ohne Namen'}); Zeile übersprungen")
                        parsed.rows_read += 1
                        continue
                    targets = [ags]
                    if ags in MERGED_DISTRICTS:
                        until = MERGED_DISTRICTS[ags][1]
                        merged_notes.append(f"{_where(title, r)}: {MERGED_DISTRICTS[ags][2]}; Werte bis "
                                            f"{until.strftime('%d.%m.%Y')} übernommen, spätere übersprungen.")
                else:
                    state = STATE_KEYS.get(name.casefold().rstrip("*").strip())
                    if state is None:
                        parsed.reject(r, f"{_where(title, r, name_col + 1)}: unbekanntes Bundesland „{name[:40]}“; "
                                         f"Zeile übersprungen")
                        parsed.rows_read += 1
                        continue
                    targets = [state] + ([STATE_ALSO[state]] if state in STATE_ALSO and (
                        known_ags is None or STATE_ALSO[state] in known_ags) else [])
                parsed.rows_read += 1
                values: list[tuple[str, float]] = []
                for j, c in enumerate(row):
                    if j in columns:
                        if c is None or (isinstance(c, str) and not c.strip()):
                            gaps += 1
                            continue
                        try:
                            v = _cell_number(c)
                        except ValueError:
                            cell_errors.append(f"{_where(title, r, j + 1)}: „{str(c)[:40]}“ ist keine nicht negative "
                                               f"Zahl ({name or targets[0]}, {columns[j]:%d.%m.%Y})")
                            continue
                        if until is not None and columns[j] > until:
                            continue
                        values.append((columns[j].isoformat(), v))
                    elif j in empty_cols and c is not None and not (isinstance(c, str) and not c.strip()):
                        cell_errors.append(f"{_where(title, r, j + 1)}: Wert „{str(c)[:20]}“ in einer Spalte "
                                           f"ohne Datum in der Kopfzeile")
                if len(cell_errors) >= WORKBOOK_MAX_CELL_ERRORS:
                    break
                values.sort()
                for ags in targets:
                    out = parsed.series.setdefault((ags, indicator), [])
                    if out:
                        cell_errors.append(f"{_where(title, r)}: Gebiet {ags} ({name}) doppelt im Blatt")
                        continue
                    out.extend(values)
            if header_row is None:
                raise _FileError(f"Blatt „{title}“, Zeilen 1 bis {WORKBOOK_HEADER_ROWS}: keine Kopfzeile mit "
                                 f"Datumsangaben (TT.MM.JJJJ oder Tabellen-Datum) gefunden.")
            if len(cell_errors) >= WORKBOOK_MAX_CELL_ERRORS:
                break
    finally:
        wb.close()
    if cell_errors:
        for text in cell_errors:
            m = re.search(r"Zeile (\d+)", text)
            parsed.reject(int(m.group(1)) if m else 0, text)
        more = " (weitere nicht geprüft)" if len(cell_errors) >= WORKBOOK_MAX_CELL_ERRORS else ""
        raise _FileError(f"{len(cell_errors)} Zellen der Arbeitsmappe sind nicht lesbar{more}; nichts wurde "
                         f"importiert. Erste: {cell_errors[0]}.")
    parsed.warnings.extend(merged_notes)
    if gaps:
        cells = "1 leere Zelle: für diesen Tag ist" if gaps == 1 else f"{gaps} leere Zellen: für diese Tage ist"
        parsed.warnings.append(f"{cells} kein veröffentlichter Wert gespeichert.")
    parsed.meta["data_as_of"] = stand.isoformat() if stand else None
    if stand is None:
        parsed.warnings.append("Die Arbeitsmappe nennt keinen Datenstand („Stand: …“); als Datenstand gilt der Import.")
