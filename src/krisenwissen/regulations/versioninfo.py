"""What a version's text says about itself (pure: no Django imports).

``read_version_info(text)`` finds, where the text states them:

- the act this version comes from: the "Stand" note of consolidated texts ("Stand: Zuletzt
  geändert durch Art. 1 V v. 16.12.2021 BAnz AT 17.12.2021 V1", "Neugefasst durch Bek. v.
  22.6.2021 I 2001") or the title of an act as promulgated ("Zweite Verordnung zur Änderung
  der Coronavirus-Einreiseverordnung / Vom 12. Mai 2021");
- the place of promulgation (BAnz AT …, BGBl. I S. …) and its date;
- the date of issue ("Ausfertigungsdatum: 30.08.2021", "Vom 16. Dezember 2021");
- the date in force from the act's Inkrafttreten clause ("Diese Verordnung tritt am 8. Februar
  2021 in Kraft", "… am Tag nach der Verkündung in Kraft" with the promulgation date).

A consolidated text (pandoc header, table of contents or "Stand" note) repeats the in-force
clause of the *original* act, which says nothing about when this version applies; its date is
returned as ``original_in_force`` and ``in_force_from`` stays empty.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTHS = {name: number for number, name in enumerate(
    ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
     "november", "dezember"], start=1)}
MONTHS["jänner"] = 1
MONTHS["maerz"] = 3

HEAD_LINES = 60  # notes and titles stand at the top; the Inkrafttreten clause anywhere
MAX_ACT = 500

_WORD_DATE = r"(\d{1,2})\.\s*([A-Za-zÄÖÜäöü]+)\s+(\d{4})"
_NUM_DATE = r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})"

_STAND = re.compile(
    r"^\W*(?:(?:Stand|Hinweis):\s*(?P<w1>Zuletzt geändert|Neugefasst|Neu gefasst|Geändert|Änderung)"
    r"|(?P<w2>Zuletzt geändert|Neugefasst))\s+durch\s+(?P<rest>.+?)\s*$",
    re.MULTILINE)
_SHORT_ACT = re.compile(
    r"^(?:Art\.\s*(?P<art>\d+\w*)\s+)?(?P<kind>V|VO|G|Bek\.?|Bekanntmachung|Verordnung|Gesetz)\s+v(?:\.|om)\s*"
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})(?P<rest>.*)$")
_KINDS = {"V": "Verordnung", "VO": "Verordnung", "G": "Gesetz", "Bek": "Bekanntmachung", "Bek.": "Bekanntmachung",
          "Bekanntmachung": "Bekanntmachung", "Verordnung": "Verordnung", "Gesetz": "Gesetz"}
_BANZ = re.compile(r"BAnz\.?\s+AT\s+(\d{2})\.(\d{2})\.(\d{4})\s+[A-Z]\d+")
_BGBL = re.compile(r"BGBl\.?\s+(I{1,3})\s+(?:S\.\s*)?(\d+)(?:\s*[–-]\s*\d+)?")
_SHORT_BGBL = re.compile(r"^(I{1,3})\s+(\d+)\b")
_OWN_BANZ = re.compile(r"^\s*(BAnz AT (\d{2})\.(\d{2})\.(\d{4}) [A-Z]\d+)\s*$", re.MULTILINE)  # page header
_BGBL_HEADER = re.compile(
    rf"Bundesgesetzblatt\s+Jahrgang\s+(\d{{4}})\s+Teil\s+(I{{1,3}})\s+Nr\.\s*(\d+),?\s+ausgegeben\s+zu\s+\w+\s+am\s+"
    rf"{_WORD_DATE}")
_PUBLISHED = re.compile(rf"Veröffentlicht am\s+(?:\w+,\s+)?{_WORD_DATE}")
_ISSUED = re.compile(rf"Ausfertigungsdatum:?\s*{_NUM_DATE}")
_VOM = re.compile(rf"^\s*Vom\s+{_WORD_DATE}\s*$")
_TITLE_START = re.compile(
    r"^\s*(?:[A-ZÄÖÜ][a-zäöüß]+(?:te|tes)\s+)?"
    r"(?:Verordnung|Gesetz|Bekanntmachung|Allgemeinverfügung|Rechtsverordnung|Satzung)\b")
_IN_FORCE = re.compile(
    r"(?:Diese|Dieses|Die)\s+(?:Verordnung|Gesetz|Bekanntmachung|Allgemeinverfügung|Satzung)\s+tritt\s+"
    r"(?:vorbehaltlich\s+[^.;]{0,120}?\s+)?(?:am|mit Wirkung vom)\s+"
    rf"(?:(?P<date>{_WORD_DATE})|(?P<next>Tag nach (?:der|ihrer|seiner) Verkündung))\s+in\s+Kraft")
_CONSOLIDATED = re.compile(r"^(?:%\s|#\s*Inhaltsübersicht|Inhaltsübersicht\s*$|\W*Stand:)", re.MULTILINE)


@dataclass(frozen=True)
class VersionInfo:
    amending_act: str = ""  # "Artikel 1 der Verordnung vom 16.12.2021" or the act's title
    reference: str = ""  # "BAnz AT 17.12.2021 V1", "BGBl. I S. 2001"
    issued_on: datetime.date | None = None
    announced_on: datetime.date | None = None
    in_force_from: datetime.date | None = None
    in_force_clause: str = ""  # the sentence the date was read from
    original_in_force: datetime.date | None = None  # in-force clause of the original act (consolidated text)

    @property
    def empty(self) -> bool:
        return not (self.amending_act or self.reference or self.issued_on or self.announced_on or self.in_force_from)


def german_date(day: str, month: str, year: str) -> datetime.date | None:
    """A date from "8", "Februar"/"2", "2021"; None when it is no valid date."""
    number = int(month) if month.isdigit() else MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return datetime.date(int(year), number, int(day))
    except ValueError:
        return None


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _reference(text: str) -> tuple[str, datetime.date | None]:
    """The first promulgation reference in ``text`` and, for the Bundesanzeiger, its date."""
    banz = _BANZ.search(text)
    bgbl = _BGBL.search(text)
    if banz and (not bgbl or banz.start() < bgbl.start()):
        return banz.group(0), german_date(banz.group(1), banz.group(2), banz.group(3))
    if bgbl:
        return f"BGBl. {bgbl.group(1)} S. {bgbl.group(2)}", None
    return "", None


def _stand_note(head: str) -> tuple[str, str, datetime.date | None]:
    """(act, reference, announced) from a "Stand: Zuletzt geändert durch …" note."""
    match = _STAND.search(head)
    if not match:
        return "", "", None
    what, rest = match.group("w1") or match.group("w2"), match.group("rest").strip().rstrip(".")
    short = _SHORT_ACT.match(rest)
    if not short:
        reference, announced = _reference(rest)
        return rest[:MAX_ACT], reference, announced
    kind = _KINDS.get(short.group("kind"), short.group("kind"))
    act = f"{kind} vom {short.group('date')}"
    if short.group("art"):
        act = (f"Artikel {short.group('art')} des Gesetzes vom {short.group('date')}" if kind == "Gesetz"
               else f"Artikel {short.group('art')} der {act}")
    if what.lower().startswith("neu"):
        act = f"Neufassung durch {'die' if kind != 'Gesetz' else 'das'} {act}"
    rest = short.group("rest").strip()
    reference, announced = _reference(rest)
    if not reference:
        bgbl = _SHORT_BGBL.match(rest)  # "I 2001" is BGBl. I S. 2001 in the juris notation
        if bgbl:
            reference = f"BGBl. {bgbl.group(1)} S. {bgbl.group(2)}"
    return act, reference, announced


def _promulgated_title(lines: list[str]) -> tuple[str, datetime.date | None]:
    """Title of an act as promulgated: the lines above "Vom 16. Dezember 2021"."""
    for index, line in enumerate(lines):
        vom = _VOM.match(line)
        if not vom:
            continue
        issued = german_date(*vom.groups())
        above = []
        for previous in reversed(lines[max(0, index - 8):index]):
            if not previous.strip():
                if above:
                    break
                continue
            above.insert(0, previous.strip())
            if _TITLE_START.match(previous):
                break
        start = next((i for i, line in enumerate(above) if _TITLE_START.match(line)), None)
        if start is None:
            return "", issued
        title = " ".join(above[start:])
        title = re.sub(r"(\w)- (\w)", r"\1\2", title)  # hyphenation of PDF line ends
        return re.sub(r"\s+", " ", title)[:MAX_ACT], issued
    return "", None


def read_version_info(text: str) -> VersionInfo:
    """Everything the text states about its act, promulgation and date in force (see module doc)."""
    lines = text.splitlines()
    head = "\n".join(lines[:HEAD_LINES])
    act, reference, announced = _stand_note(head)
    title, issued = _promulgated_title(lines[:HEAD_LINES])
    if not act and title:
        act = title
    if not reference:  # the act's own page header (Bundesanzeiger, Bundesgesetzblatt)
        banz = _OWN_BANZ.search(text)
        bgbl = _BGBL_HEADER.search(text)
        if banz:
            reference = banz.group(1)
            announced = announced or german_date(banz.group(2), banz.group(3), banz.group(4))
        elif bgbl:
            reference = f"BGBl. {bgbl.group(1)} {bgbl.group(2)} Nr. {bgbl.group(3)}"
            announced = announced or german_date(*bgbl.groups()[3:6])
    published = _PUBLISHED.search(head)
    if published:
        announced = german_date(*published.groups()) or announced
    issued_match = _ISSUED.search(head)
    if issued_match and issued is None:
        issued = german_date(*issued_match.groups())
    in_force, clause = None, ""
    match = _IN_FORCE.search(text)
    if match:
        clause = re.sub(r"\s+", " ", match.group(0))
        if match.group("date"):
            in_force = german_date(*match.group("date").replace(".", " ").split()[:3])
        elif announced is not None:
            in_force = announced + datetime.timedelta(days=1)
    consolidated = bool(_CONSOLIDATED.search(head)) and not title
    if consolidated:
        return VersionInfo(amending_act=act, reference=reference, issued_on=issued, announced_on=announced,
                           original_in_force=in_force)
    return VersionInfo(amending_act=act, reference=reference, issued_on=issued, announced_on=announced,
                       in_force_from=in_force, in_force_clause=clause)


def describe(info: VersionInfo) -> str:
    """One German line: "Verordnung zur Änderung … (BAnz AT 17.12.2021 V1), in Kraft ab 18.12.2021"."""
    parts = []
    if info.amending_act:
        parts.append(info.amending_act + (f" ({info.reference})" if info.reference else ""))
    elif info.reference:
        parts.append(info.reference)
    if info.in_force_from:
        parts.append(f"in Kraft ab {_fmt(info.in_force_from)}")
    return ", ".join(parts)
