"""The base text of an amendment as an editable structure (pure, no Django).

A base version (pandoc Markdown ``# § 1 – Titel`` with one paragraph per line, or the plain
markups :mod:`legaltext` reads) is split into chunks: untouched text (title block, table of
contents) and top-level units (§, Artikel, Anlage, Eingangsformel). A unit is a heading and a
list of :class:`Para` (one Absatz, Nummer, Buchstabe … or text paragraph each). Only changed
paragraphs are rendered anew; everything else is written back byte for byte.

Addressing after the Handbuch der Rechtsförmlichkeit: Absatz, Satz (a list belongs to the
sentence that introduces it; text after a list starts a new sentence unless it begins in lower
case), Nummer, Buchstabe, Doppelbuchstabe, Dreifachbuchstabe, Halbsatz (split at ";"),
"Satzteil vor Nummer 1" / "einleitender Satzteil", "abschließender Satzteil", Überschrift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .legaltext import normalise_line, parse

LEVEL = {"absatz": 1, "nummer": 2, "buchstabe": 3, "doppelbuchstabe": 4, "dreifachbuchstabe": 5, "text": 9,
         "note": 9}
_MARKER = re.compile(r"^(?:\((\d+[a-z]?)\)|(\d+[a-z]?)\.|([a-z])\3\3\)|([a-z])\4\)|([a-z])\))(?:\s+|$)")


_NOTE = re.compile(r"^\(\+\+\+.*\+\+\+\)\s*$")


def classify(text: str) -> tuple[str, str, str, str]:
    """(kind, label, marker as written, rest) of one paragraph; "note" for juris' "(+++ … +++)"."""
    if text.startswith("(+++") and _NOTE.match(text):
        return "note", "", "", text
    m = _MARKER.match(text)
    if not m:
        return "text", "", "", text
    rest = text[m.end():]
    if m.group(1):
        return "absatz", m.group(1), f"({m.group(1)})", rest
    if m.group(2):
        return "nummer", m.group(2), f"{m.group(2)}.", rest
    if m.group(3):
        return "dreifachbuchstabe", m.group(3) * 3, f"{m.group(3) * 3})", rest
    if m.group(4):
        return "doppelbuchstabe", m.group(4) * 2, f"{m.group(4) * 2})", rest
    return "buchstabe", m.group(5), f"{m.group(5)})", rest


def relabel_marker(kind: str, label: str) -> str:
    if kind == "absatz":
        return f"({label})"
    if kind == "nummer":
        return f"{label}."
    if kind in ("buchstabe", "doppelbuchstabe", "dreifachbuchstabe"):
        return f"{label})"
    return ""


@dataclass
class Para:
    kind: str
    label: str
    marker: str
    text: str  # without the marker
    raw: str | None = None  # source text while unchanged
    new: bool = False  # inserted by the act being applied

    @classmethod
    def from_text(cls, text: str, *, raw: str | None = None, new: bool = False) -> Para:
        kind, label, marker, rest = classify(text)
        return cls(kind=kind, label=label, marker=marker, text=rest, raw=raw, new=new)

    def set_text(self, text: str) -> None:
        self.text = text
        self.raw = None

    @property
    def level(self) -> int:
        return LEVEL[self.kind]

    def render(self) -> str:
        if self.raw is not None:
            return self.raw
        if self.marker:
            return f"{self.marker} {self.text}".rstrip()
        return self.text


@dataclass
class Unit:
    label: str  # "§ 11"
    kind: str
    heading: str  # the heading line as written
    title: str
    paras: list[Para]
    raw: list[str]  # original lines (heading, body, trailing blank lines)
    blank_separated: bool = True
    trailing: int = 1
    changed: bool = False

    def render(self) -> list[str]:
        if not self.changed:
            return self.raw
        out = [self.heading]
        sep = [""] if self.blank_separated else []
        for para in self.paras:
            out.extend(sep)
            out.append(para.render())
        out.extend([""] * self.trailing)
        return out

    def set_title(self, title: str) -> None:
        head = self.heading
        if self.title and head.endswith(self.title):
            self.heading = head[: len(head) - len(self.title)] + title
        else:
            prefix = re.match(r"^(#*\s*)", head).group(1)
            self.heading = f"{prefix}{self.label} – {title}"
        self.title = title
        self.changed = True


@dataclass
class BaseText:
    parts: list  # str (untouched line) or Unit
    heading_prefix: str = "# "
    # places resolved by the instruction being applied (so "… ersetzt und folgender Halbsatz wird
    # angefügt" finds Satz 1 where it was, although its full stop is now a semicolon)
    memo: dict = field(default_factory=dict)

    def units(self) -> list[Unit]:
        return [p for p in self.parts if isinstance(p, Unit)]

    def unit(self, label: str) -> Unit | None:
        for u in self.units():
            if u.label == label:
                return u
        return None

    def render(self) -> str:
        lines: list[str] = []
        for part in self.parts:
            if isinstance(part, Unit):
                lines.extend(part.render())
            else:
                lines.append(part)
        return "\n".join(lines)


_ENDED = re.compile(r"[.:!?]$|^$")


def read_base(text: str) -> BaseText:
    """Split a base version into untouched lines and editable units."""
    lines = text.split("\n")
    doc = parse(text)
    heads = sorted((u.heading_line, u) for u in doc.units if u.heading_line)
    md = any(ln.startswith("#") for ln in lines)
    boundaries = {h for h, _ in heads}
    if md:
        boundaries |= {i + 1 for i, ln in enumerate(lines) if ln.startswith("#")}
    else:
        boundaries |= {line for _, _, line in doc.outline}
    parts: list = []
    pos = 0
    prefix = "# "
    for idx, (hl, unit) in enumerate(heads):
        start = hl - 1
        if start < pos:
            continue
        parts.extend(lines[pos:start])
        end = len(lines)
        for b in range(hl + 1, len(lines) + 1):
            if b in boundaries:
                end = b - 1
                break
        body = lines[start + 1:end]
        trailing = 0
        while body and not body[-1].strip():
            body.pop()
            trailing += 1
        lead = 0
        while lead < len(body) and not body[lead].strip():
            lead += 1
        content = body[lead:]
        blank_sep = any(not ln.strip() for ln in content) or (lead > 0)
        paras: list[Para] = []
        if blank_sep:
            group: list[str] = []
            for ln in content + [""]:
                if ln.strip():
                    group.append(ln)
                elif group:
                    joined = " ".join(normalise_line(g) for g in group)
                    paras.append(Para.from_text(joined, raw="\n".join(group)))
                    group = []
        else:
            # one line per paragraph, or lines wrapped like a PDF text layer: a line that does not
            # start with a marker continues a paragraph that has not ended (no ".", ":")
            groups: list[list[str]] = []
            for ln in content:
                line = normalise_line(ln)
                if groups and classify(line)[0] == "text" and not _ENDED.search(normalise_line(groups[-1][-1])):
                    groups[-1].append(ln)
                else:
                    groups.append([ln])
            for group in groups:
                paras.append(Para.from_text(" ".join(normalise_line(g) for g in group), raw="\n".join(group)))
        heading = lines[start]
        m = re.match(r"^(#+\s*)", heading)
        if m and idx == 0:
            prefix = m.group(1)
        parts.append(Unit(label=unit.label, kind=unit.kind, heading=heading, title=unit.title, paras=paras,
                          raw=lines[start:end], blank_separated=blank_sep or md, trailing=trailing))
        pos = end
    parts.extend(lines[pos:])
    return BaseText(parts=parts, heading_prefix=prefix)


# ---------------------------------------------------------------------------- sentences

_ABBREV = frozenset(
    "Abs Nr Nrn Art Buchst Doppelbuchst bzw ca ggf gem vgl usw Anl lfd Dr Prof St Str BGBl BAnz Bl Ziff Kap "
    "Abschn Hs Alt Var Rn Aufl sog einschl insb max min mind Tz GV GVBl GBl NRW Verf Nds Bek zit Anm "
    "Mio Mrd Tsd Std Min Sek Co".split()
)
_ORDINAL_NOUNS = frozenset(
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember Lebensjahr Lebensjahres "
    "Lebensmonat Lebenswoche Tag Tages Woche Monat Monats Quartal Quartals Jahr Jahres Kalenderjahr Kalenderjahres "
    "Kalendermonat Kalenderwoche Buch Buches Kapitel Abschnitt Abschnitts Teil Teils Halbsatz Alternative Mal Stelle "
    "Klasse Stufe Grad Grades Ordnung Schwangerschaftswoche Impfung Dosis Auffrischimpfung".split()
)
_STARTERS = frozenset("Die Der Das Dies Diese Dieser Dieses Sie Er Es Satz Absatz Im In Für Bei Ab Bis Wer Soweit"
                      .split())
_END = re.compile(r"[.!?](?=\s+[A-ZÄÖÜ„(])")


_NEXT_WORD = re.compile(r"\s+(\S+)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph (without the white space between them).

    Linear in the paragraph's length (no slicing per candidate full stop)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        cut = m.start()
        space = max(text.rfind(" ", start, cut), text.rfind("\n", start, cut))
        token = text[space + 1:cut] if space >= 0 else text[start:cut]
        nxt = _NEXT_WORD.match(text, end)
        following = nxt.group(1).strip(",.;:") if nxt else ""
        if m.group(0) == ".":
            bare = token.lstrip("(„")
            if bare in _ABBREV or re.fullmatch(r"[a-zäöü]", bare) or bare.endswith(".") \
                    or re.fullmatch(r"[A-Z]", bare) and not (bare == "V" and following in _STARTERS):
                continue
            if re.fullmatch(r"\d+[a-z]?", bare) and following in _ORDINAL_NOUNS:
                continue
        first = start
        while first < cut and text[first].isspace():
            first += 1
        if first < cut:
            spans.append((first, end))
        start = end
    first = start
    while first < len(text) and text[first].isspace():
        first += 1
    last = len(text)
    while last > first and text[last - 1].isspace():
        last -= 1
    if first < last:
        spans.append((first, last))
    return spans


@dataclass
class Sentence:
    pieces: list[tuple[int, int, int]] = field(default_factory=list)  # (para index, start, end)
    lists: list[int] = field(default_factory=list)  # list paragraphs belonging to the sentence
    closing: tuple[int, int, int] | None = None  # text after the list in the same sentence

    @property
    def paras(self) -> list[int]:
        return sorted({p for p, _, _ in self.pieces} | set(self.lists))


def sentences(paras: list[Para], a: int, b: int) -> list[Sentence]:
    """Sentences of the paragraphs ``a`` to ``b`` (exclusive); the first one is the range's head."""
    out: list[Sentence] = []
    cur: Sentence | None = None
    for pi in range(a, b):
        para = paras[pi]
        if para.kind == "note":
            continue  # "(+++ … +++)": an editorial note of the source, not legal text
        if pi == a or para.kind == "text":
            spans = sentence_spans(para.text)
            if para.kind == "text" and cur is not None and cur.lists and para.text[:1].islower() and spans:
                s, e = spans[0]
                cur.pieces.append((pi, s, e))
                cur.closing = (pi, s, e)
                spans = spans[1:]
            for s, e in spans:
                cur = Sentence(pieces=[(pi, s, e)])
                out.append(cur)
        else:
            if cur is None:
                cur = Sentence()
                out.append(cur)
            cur.lists.append(pi)
    return out


def is_term(text: str) -> bool:
    """A defined term alone ("Zwischenaufenthalt"): short, no closing punctuation, no "und"."""
    head = text.strip()
    return 0 < len(head) <= 100 and len(head.split()) <= 6 and head[-1] not in ".,;:)" \
        and not re.search(r"\b(?:und|oder|sowie)$", head)


def is_term_item(paras: list[Para], i: int, b: int) -> bool:
    """A list item that is only a term, its definition in the next (text) paragraph."""
    return paras[i].kind not in ("text", "note") and is_term(paras[i].text) and i + 1 < b \
        and paras[i + 1].kind == "text"


def child_end(paras: list[Para], i: int, b: int) -> int:
    """End (exclusive) of the paragraph ``i`` with its deeper list items, within ``b``.

    A definition item whose text is only the term ("15. Zwischenaufenthalt", the definition in
    the next paragraph, as pandoc writes gesetze-im-internet's definition lists) keeps the text
    paragraphs that follow it."""
    level = paras[i].level
    term = is_term_item(paras, i, b)
    j = i + 1
    while j < b:
        para = paras[j]
        if para.kind == "note" or (para.kind == "text" and term):
            j += 1
            continue
        if para.kind == "text" or para.level <= level:
            break
        j += 1
    return j


def absatz_end(paras: list[Para], i: int, b: int) -> int:
    j = i + 1
    while j < b and paras[j].kind != "absatz":
        j += 1
    return j
