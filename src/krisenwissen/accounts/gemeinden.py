"""Parser for the Destatis municipality directory GV100AD (Gemeindeverzeichnis).

The file is fixed-width text, one record per line, 220 characters wide. Columns are
counted in *characters*, so the text must be decoded before slicing (the current files
are UTF-8; older releases were published in Windows-1252, which :func:`read_gv100ad`
falls back to).

Record layout (1-based character positions, as found in ``GV100AD_301123.txt``)::

    1-2     record type: 10 Land, 20 Regierungsbezirk, 30 Region (BW only),
            40 Kreis, 50 Gemeindeverband, 60 Gemeinde
    3-10    reference date (Gebietsstand, YYYYMMDD)
    11-12   Land            13 Regierungsbezirk      14-15 Kreis
    16-18   Gemeinde        19-22 Gemeindeverband
    23-72   name
    73-122  seat of administration (types 10-40)
    123-124 type code (Textkennzeichen), types 40-60:
            40: 41 kreisfreie Stadt, 42 Stadtkreis, 43 Kreis, 44 Landkreis, 45 Regionalverband
            60: 60 Markt, 61 kreisfreie Stadt, 62 Stadtkreis, 63 Stadt, 64 kreisangehörige
                Gemeinde, 65/66 gemeindefreies Gebiet (bewohnt/unbewohnt), 67 Große Kreisstadt
    129-139 area in hectares (type 60)
    140-150 population (type 60)
    151-161 male population (type 60)
    166-170 postcode of the administration seat (type 60, blank for unpopulated areas)

The module is deliberately free of Django imports so it can be tested and reused on its
own; the ``gemeinden import`` management command maps the records onto ``Municipality``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "GV100FormatError",
    "GV100Record",
    "STATE_NAMES",
    "parse_gv100ad",
    "read_gv100ad",
    "district_populations",
]


class GV100FormatError(ValueError):
    """A line of a GV100AD file does not follow the record layout.

    The message is German and names the 1-based line number; ``line_number`` holds it too.
    This is the only exception :func:`parse_gv100ad` raises for bad input.
    """

    def __init__(self, line_number: int, problem: str):
        self.line_number = line_number
        self.problem = problem
        super().__init__(f"Zeile {line_number}: {problem}")


# Official names of the 16 Länder by their two-digit key. Used when an excerpt lacks the
# type-10 record of a Land; a type-10 record in the file takes precedence.
STATE_NAMES: dict[str, str] = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

# Record types and the level they describe.
LEVEL_BY_RECORD_TYPE = {
    "10": "land",
    "20": "regierungsbezirk",
    "30": "region",
    "40": "kreis",
    "50": "gemeindeverband",
    "60": "gemeinde",
}

# Type codes mapped onto the values of ``accounts.models.MunicipalityKind``
# (kept as plain strings so this module needs no Django).
KIND_BY_DISTRICT_CODE = {
    "41": "kreisfreie_stadt",
    "42": "kreisfreie_stadt",  # Stadtkreis: the Baden-Württemberg name for a kreisfreie Stadt
    "43": "kreis",
    "44": "kreis",
    "45": "kreis",  # Regionalverband Saarbrücken
}
KIND_BY_MUNICIPALITY_CODE = {
    "60": "gemeinde",  # Markt
    "61": "kreisfreie_stadt",
    "62": "kreisfreie_stadt",
    "63": "stadt",
    "64": "gemeinde",
    "65": "sonstige",  # gemeindefreies Gebiet, bewohnt
    "66": "sonstige",  # gemeindefreies Gebiet, unbewohnt
    "67": "stadt",  # Große Kreisstadt
}
# Type-50 codes (Amt, Samtgemeinde, Verbandsgemeinde ...); all map to "sonstige".
MUNICIPAL_ASSOCIATION_CODES = {"50", "51", "52", "53", "54", "55", "56", "57", "58"}

# Minimum line length (characters) each record type needs for the fields we read.
MIN_LENGTH_BY_RECORD_TYPE = {"10": 72, "20": 72, "30": 72, "40": 124, "50": 124, "60": 170}


@dataclass(frozen=True, slots=True)
class GV100Record:
    """One record of the directory.

    ``ags`` is 2 digits for a Land, 3 for a Regierungsbezirk, 4 for a Region, 5 for a Kreis,
    9 for a Gemeindeverband (Kreis + 4-digit association key) and 8 for a Gemeinde.
    ``kind`` uses the values of ``MunicipalityKind`` (``land``, ``kreis``,
    ``kreisfreie_stadt``, ``stadt``, ``gemeinde``, ``sonstige``) or ``regierungsbezirk``/
    ``region`` for the administrative levels between Land and Kreis.
    """

    line_number: int
    record_type: str
    level: str
    ags: str
    name: str
    kind: str
    type_code: str
    state: str
    reference_date: str
    area_hectares: int | None = None
    population: int | None = None
    postcode: str = ""

    @property
    def district_ags(self) -> str:
        """The 5-digit key of the Kreis this record belongs to ('' above Kreis level)."""
        return self.ags[:5] if len(self.ags) >= 5 else ""


def read_gv100ad(path: str | Path) -> Iterator[GV100Record]:
    """Parse the GV100AD file at ``path``, decoding it as UTF-8 or else Windows-1252.

    The file (about 3.5 MB) is read at once: decoding has to be decided for the whole file,
    because a UTF-8 file would decode as Windows-1252 without error but with wrong umlauts.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            # cp1252 leaves five byte values undefined; latin-1 decodes every byte and agrees
            # with cp1252 on all letters of German place names.
            text = raw.decode("latin-1")
    return parse_gv100ad(text.splitlines())


def parse_gv100ad(lines: Iterable[str]) -> Iterator[GV100Record]:
    """Yield one :class:`GV100Record` per non-blank line of ``lines`` (already decoded).

    Raises :class:`GV100FormatError` for the first line that does not fit the layout;
    records before it have been yielded already, so callers that need all-or-nothing
    must collect the records before writing (the import command does).
    """
    state_names = dict(STATE_NAMES)
    for line_number, raw_line in enumerate(lines, start=1):
        line = raw_line.rstrip("\r\n")
        if not line.strip():
            continue
        record = _parse_line(line, line_number, state_names)
        if record.record_type == "10":
            state_names[record.ags] = record.name
        yield record


def _parse_line(line: str, line_number: int, state_names: dict[str, str]) -> GV100Record:
    def fail(problem: str) -> GV100FormatError:
        return GV100FormatError(line_number, problem)

    record_type = line[:2]
    level = LEVEL_BY_RECORD_TYPE.get(record_type)
    if level is None:
        raise fail(f"unbekannte Satzart {record_type!r} (erwartet 10, 20, 30, 40, 50 oder 60)")
    min_length = MIN_LENGTH_BY_RECORD_TYPE[record_type]
    if len(line) < min_length:
        raise fail(
            f"Satz der Satzart {record_type} ist zu kurz ({len(line)} Zeichen, "
            f"mindestens {min_length} erwartet)"
        )
    reference_date = line[2:10]
    if not _is_digits(reference_date):
        raise fail(f"Gebietsstand {reference_date!r} ist kein Datum der Form JJJJMMTT")

    land, rb, kreis, gemeinde, verband = line[10:12], line[12:13], line[13:15], line[15:18], line[18:22]
    # Which key parts must be filled depends on the level; the rest is blank.
    required_parts = {
        "10": [("Land", land)],
        "20": [("Land", land), ("Regierungsbezirk", rb)],
        "30": [("Land", land), ("Regierungsbezirk", rb), ("Region", line[13:14])],
        "40": [("Land", land), ("Regierungsbezirk", rb), ("Kreis", kreis)],
        "50": [("Land", land), ("Regierungsbezirk", rb), ("Kreis", kreis), ("Gemeindeverband", verband)],
        "60": [("Land", land), ("Regierungsbezirk", rb), ("Kreis", kreis), ("Gemeinde", gemeinde)],
    }[record_type]
    for label, value in required_parts:
        if not _is_digits(value):
            raise fail(f"Schlüsselteil {label} {value!r} besteht nicht nur aus Ziffern")
    ags = {
        "10": land,
        "20": land + rb,
        "30": land + rb + line[13:14],
        "40": land + rb + kreis,
        "50": land + rb + kreis + verband,
        "60": land + rb + kreis + gemeinde,
    }[record_type]
    if land not in STATE_NAMES:
        raise fail(f"unbekannter Landesschlüssel {land!r}")

    name = " ".join(line[22:72].split())
    if not name:
        raise fail("der Name fehlt (Spalten 23-72)")

    type_code = line[122:124].strip() if record_type in ("40", "50", "60") else ""
    if record_type == "40":
        kind = KIND_BY_DISTRICT_CODE.get(type_code)
    elif record_type == "60":
        kind = KIND_BY_MUNICIPALITY_CODE.get(type_code)
    elif record_type == "50":
        kind = "sonstige" if type_code in MUNICIPAL_ASSOCIATION_CODES else None
    else:
        kind = level
    if kind is None:
        raise fail(f"unbekanntes Textkennzeichen {type_code!r} für Satzart {record_type}")

    area = population = None
    postcode = ""
    if record_type == "60":
        area = _number(line[128:139], "Fläche", fail)
        population = _number(line[139:150], "Bevölkerung", fail)
        postcode = line[165:170].strip()
        if postcode and not (len(postcode) == 5 and _is_digits(postcode)):
            raise fail(f"Postleitzahl {postcode!r} hat nicht genau 5 Ziffern")

    return GV100Record(
        line_number=line_number,
        record_type=record_type,
        level=level,
        ags=ags,
        name=name,
        kind=kind,
        type_code=type_code,
        state=state_names.get(land, STATE_NAMES[land]),
        reference_date=reference_date,
        area_hectares=area,
        population=population,
        postcode=postcode,
    )


def _is_digits(value: str) -> bool:
    # str.isdigit() accepts other scripts' digits and superscripts; the format is ASCII.
    return bool(value) and all("0" <= ch <= "9" for ch in value)


def _number(field: str, label: str, fail) -> int:
    value = field.strip()
    if not _is_digits(value):
        raise fail(f"{label} {field!r} ist keine Zahl")
    return int(value)


def district_populations(records: Iterable[GV100Record]) -> dict[str, int]:
    """Sum the population of the Gemeinde records per 5-digit Kreis key.

    Kreis records carry no population of their own in GV100AD.
    """
    totals: dict[str, int] = {}
    for record in records:
        if record.record_type == "60" and record.population is not None:
            totals[record.district_ags] = totals.get(record.district_ags, 0) + record.population
    return totals
