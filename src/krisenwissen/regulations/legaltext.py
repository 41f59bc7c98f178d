"""Structure tree of German legal texts (pure: no Django imports).

Reads the markups found in practice: pandoc-style Markdown (``% Title``, ``# § 28b – Title``),
older plain text (``[IfSG] Title``, ``§ 28b - Title``), Markdown with ``## §`` headings, and text
extracted from HTML/DOCX/PDF. Recognises Teil/Abschnitt/Kapitel headings, § and Artikel with
title, Anlage, Eingangsformel, the table of contents (kept apart, never compared), Absatz
``(1)``, Nummer ``1.``, Buchstabe ``a)``, Doppelbuchstabe ``aa)``, "(weggefallen)"
placeholders, and sentences (Satz) inside a text block.

Every non-empty source line becomes exactly one block of exactly one top-level unit (or of the
table of contents / an outline heading), and each block remembers its line number; the
comparison and its correctness test rely on that.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes) -> str:
    """Decode uploaded bytes: BOMs, UTF-16, UTF-8 with stray Latin-1/cp1252 bytes mixed in."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Undecodable single bytes: read them as cp1252 (falls back to Latin-1 for its holes).
    out = []
    for ch in data.decode("utf-8", errors="surrogateescape"):
        if "\udc80" <= ch <= "\udcff":
            byte = bytes([ord(ch) - 0xDC00])
            try:
                out.append(byte.decode("cp1252"))
            except UnicodeDecodeError:
                out.append(byte.decode("latin-1"))
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------------------- tree

NORM_KINDS = ("paragraph", "artikel", "anlage", "eingangsformel", "schlussformel", "praeambel", "titel", "text")

KIND_NAMES = {
    "teil": "Teil", "kapitel": "Kapitel", "abschnitt": "Abschnitt", "unterabschnitt": "Unterabschnitt",
    "titel": "Titel", "paragraph": "§", "artikel": "Artikel", "anlage": "Anlage",
    "eingangsformel": "Eingangsformel", "schlussformel": "Schlussformel", "praeambel": "Präambel",
    "absatz": "Absatz", "nummer": "Nummer", "buchstabe": "Buchstabe", "doppelbuchstabe": "Doppelbuchstabe",
    "dreifachbuchstabe": "Dreifachbuchstabe", "satz": "Satz", "text": "Text",
}

LEVEL = {"absatz": 1, "nummer": 2, "buchstabe": 3, "doppelbuchstabe": 4, "dreifachbuchstabe": 5}


@dataclass(slots=True)
class Block:
    """One source line of body text, with its structural marker (if any)."""

    kind: str  # absatz | nummer | buchstabe | doppelbuchstabe | text
    marker: str  # "1" for "(1)", "3" for "3.", "a", "aa"; "" for plain text
    text: str  # normalised text incl. the marker as written
    line: int  # 1-based source line


@dataclass
class Node:
    """A sub-unit inside a top-level unit: Absatz, Nummer, Buchstabe, Doppelbuchstabe, Text."""

    kind: str
    marker: str
    label: str  # relative label, e.g. "Abs. 3", "Nr. 2", "Buchst. a", "Text 1"
    text: str
    line: int
    children: list[Node] = field(default_factory=list)


@dataclass
class Unit:
    """A top-level unit: a §, an Artikel, an Anlage, the Eingangsformel, the title block."""

    kind: str
    label: str  # "§ 28b", "Artikel 1", "Anlage 2", "Eingangsformel", "Titel"
    title: str
    heading_line: int  # 0 when the unit has no heading line of its own (title block)
    blocks: list[Block] = field(default_factory=list)
    outline: list[str] = field(default_factory=list)  # enclosing Teil/Abschnitt headings
    heading_text: str = ""

    @property
    def repealed(self) -> bool:
        """True for "(weggefallen)" placeholders."""
        body = " ".join(b.text for b in self.blocks).strip()
        return is_placeholder(self.title) and (not body or is_placeholder(body)) or (not self.title and is_placeholder(body))

    @property
    def lines(self) -> list[int]:
        out = [self.heading_line] if self.heading_line else []
        out.extend(b.line for b in self.blocks)
        return out

    @property
    def body_text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def content_key(self) -> str:
        """Hash of title and body, without the label: equal keys mean equal content."""
        h = hashlib.blake2b(digest_size=16)
        h.update(self.title.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
        h.update(self.body_text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def tree(self) -> list[Node]:
        return build_tree(self.blocks)

    @property
    def display(self) -> str:
        if self.title and self.kind in ("paragraph", "artikel", "anlage"):
            return f"{self.label} – {self.title}"
        return self.label


@dataclass(slots=True)
class TocEntry:
    text: str
    line: int


@dataclass
class LegalDocument:
    title: str
    abbreviation: str
    units: list[Unit]
    toc: list[TocEntry]
    structured: bool  # False: no §/Artikel/Anlage recognised, units are plain paragraphs
    notices: list[str] = field(default_factory=list)
    outline: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, text, line)

    def unit(self, label: str) -> Unit | None:
        for unit in self.units:
            if unit.label == label:
                return unit
        return None

    @property
    def norm_count(self) -> int:
        return sum(1 for u in self.units if u.kind in ("paragraph", "artikel", "anlage"))


class LegalTextError(ValueError):
    """The text cannot be used as a version of a legal text (message in German)."""


# ---------------------------------------------------------------------------- patterns

_ODD_SPACE = re.compile(r"[\u2000-\u200a\u202f\u205f\u3000\x0b\x0c\x1c-\x1f\x85\u1680\u2028\u2029]")
_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_DASH = r"\s+[-–—]\s+"
_PARA_LABEL = r"(§§?)\s*(\d+[a-z]*(?:\s*(?:bis|und|,|-|–)\s*\d+[a-z]*)*)"
_PARA_HEAD = re.compile(rf"^{_PARA_LABEL}(?:{_DASH}(.*)|\s*)$")
_PARA_DASH = re.compile(rf"^{_PARA_LABEL}{_DASH}(.+)$")
_PARA_ALONE = re.compile(rf"^{_PARA_LABEL}$")
_PARA_TITLE = re.compile(rf"^{_PARA_LABEL}\s+([A-ZÄÖÜ(][^.]{{0,160}})$")
_ART_HEAD = re.compile(r"^(?:Artikel|Art\.)\s*(\d+[a-z]*)(?:(?:" + _DASH + r"|\s+)(.*))?$")
_ART_DASH = re.compile(r"^(?:Artikel|Art\.)\s*(\d+[a-z]*)" + _DASH + r"(.+)$")
_ART_ALONE = re.compile(r"^(?:Artikel|Art\.)\s*(\d+[a-z]*)$")
_ANLAGE = re.compile(r"^(Anlage|Anhang)(?:\s+(\d+[a-z]*|[IVXLC]+)\b)?(?:\s*(?:[-–—:]\s*)?(.*))?$")
_ORDINALS = ("Erster|Zweiter|Dritter|Vierter|Fünfter|Sechster|Siebter|Siebenter|Achter|Neunter|Zehnter|"
             "Elfter|Zwölfter|Erstes|Zweites|Drittes|Viertes|Fünftes|Sechstes|Siebtes|Achtes|Neuntes|Zehntes")
_OUTLINE = re.compile(
    rf"^(?:(?:\d+[a-z]?\.?|{_ORDINALS})\s+(Teil|Buch|Kapitel|Abschnitt|Unterabschnitt|Titel)"
    rf"|(Teil|Buch|Kapitel|Abschnitt|Unterabschnitt)\s+(?:\d+[a-z]?|[IVXLC]+)\b)(?:\s*[-–—:.]?\s*(.*))?$"
)
_OUTLINE_HINT = re.compile(r"Teil|Buch|Kapitel|Abschnitt|Titel")
_TOC = re.compile(r"^(Inhaltsübersicht|Inhaltsverzeichnis|Inhalt|Übersicht)\s*:?$", re.IGNORECASE)
_EINGANG = re.compile(r"^(Eingangsformel|Präambel|Schlussformel)$")
_ABSATZ = re.compile(r"^\((\d+[a-z]?)\)\s*")
_NUMMER = re.compile(r"^(?:-\s+)?(\d+[a-z]?)\.(?:\s+|\s*::\s*|$)")
_TBUCH = re.compile(r"^([a-z])\1\1\)\s*")
_DBUCH = re.compile(r"^([a-z])\1\)\s*")
_BUCH = re.compile(r"^([a-z])\)\s*")
_PLACEHOLDER = re.compile(r"^\(?\s*(weggefallen|aufgehoben|entfallen)\s*\)?\.?$", re.IGNORECASE)
_NOT_TITLE_START = re.compile(r"^(Absatz|Abs\.|Satz|Nummer|Nr\.|Buchstabe|gilt|ist|sind|bleibt|findet|und|oder|in|des|der)\b")
_BRACKET_TITLE = re.compile(r"^\[([^\]]{1,40})\]\s*(.*)$")
_ABBR = re.compile(r"\(([^()]*?)\s+[-–]\s+([A-Za-zÄÖÜäöü0-9-]{2,40})\)")


_MARKER_START = frozenset("(-0123456789abcdefghijklmnopqrstuvwxyz")


def is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.match(text.strip()))


def normalise_line(raw: str) -> str:
    line = raw
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
        if line.endswith("\\"):  # pandoc hard line break
            line = line[:-1]
    # str.split() without arguments splits on all Unicode white space (incl. no-break spaces)
    if "  " in line or "\t" in line or "\xa0" in line or line[:1].isspace() or line[-1:].isspace() \
            or not line.isascii() and _ODD_SPACE.search(line):
        line = " ".join(line.split())
    if "\ufeff" in line or "\u200b" in line:
        line = line.replace("\ufeff", "").replace("\u200b", "").strip()
    return line


def _norm_label(sign: str, number: str) -> str:
    number = _WS.sub(" ", number).strip()
    number = re.sub(r"\s*,\s*", ", ", number)
    return f"{sign} {number}"


def _classify_block(text: str) -> tuple[str, str]:
    if text[:1] not in _MARKER_START:
        return "text", ""
    m = _ABSATZ.match(text)
    if m:
        return "absatz", m.group(1)
    m = _TBUCH.match(text)
    if m:
        return "dreifachbuchstabe", m.group(1) * 3
    m = _DBUCH.match(text)
    if m:
        return "doppelbuchstabe", m.group(1) * 2
    m = _BUCH.match(text)
    if m:
        return "buchstabe", m.group(1)
    m = _NUMMER.match(text)
    if m:
        return "nummer", m.group(1)
    return "text", ""


# ---------------------------------------------------------------------------- parsing


def _heading_unit(text: str) -> tuple[str, str, str] | None:
    """(kind, label, title) for a unit heading text (already stripped of '#')."""
    m = _PARA_HEAD.match(text)
    if m:
        return "paragraph", _norm_label(m.group(1), m.group(2)), (m.group(3) or "").strip()
    m = _ART_HEAD.match(text)
    if m:
        return "artikel", f"Artikel {m.group(1)}", (m.group(2) or "").strip()
    m = _ANLAGE.match(text)
    if m:
        label = m.group(1) + (f" {m.group(2)}" if m.group(2) else "")
        return "anlage", label, (m.group(3) or "").strip()
    m = _EINGANG.match(text)
    if m:
        word = m.group(1)
        return {"Eingangsformel": "eingangsformel", "Präambel": "praeambel", "Schlussformel": "schlussformel"}[word], word, ""
    m = _PARA_TITLE.match(text)
    if m and not _NOT_TITLE_START.match(m.group(3)):
        return "paragraph", _norm_label(m.group(1), m.group(2)), m.group(3).strip()
    return None


def parse(text: str, *, name: str = "") -> LegalDocument:
    """Parse a legal text into top-level units with their blocks. Never raises on any input."""
    raw_lines = text.split("\n")
    lines = [normalise_line(raw) if raw and not raw.isspace() else "" for raw in raw_lines]
    hashes = [bool(line) and line[0] == "#" and raw.lstrip()[:1] == "#" for raw, line in zip(raw_lines, lines, strict=True)]
    md_headings = any(h and _heading_unit(_heading_text(lines[i])) for i, h in enumerate(hashes))

    title = ""
    units: list[Unit] = []
    toc: list[TocEntry] = []
    outline: list[tuple[str, str, int]] = []
    current_outline: list[str] = []
    preamble = Unit(kind="titel", label="Titel", title="", heading_line=0)
    current: Unit = preamble
    in_toc = False
    seen_labels: dict[str, int] = {}
    title_lines: set[int] = set()
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        lineno = i + 1
        i += 1
        if not line:
            continue
        is_md_heading = hashes[i - 1] and line.startswith("#")
        if md_headings and not is_md_heading and not in_toc and units and current is not preamble \
                and not (len(line) <= 200 and _OUTLINE_HINT.search(line)):
            # fast path: an ordinary body line of a Markdown text
            kind, marker = _classify_block(line)
            current.blocks.append(Block(kind, marker, line, lineno))
            continue
        body = _heading_text(line) if is_md_heading else line
        if not body:
            continue
        if body.startswith("%") and current is preamble:
            body = body.lstrip("%").strip()
            if body and not title:
                title = body
            preamble.blocks.append(Block("text", "", body, lineno))
            title_lines.add(lineno)
            continue
        if not title and current is preamble and not units:
            m = _BRACKET_TITLE.match(body)
            if m:
                title = m.group(2).strip() or m.group(1)
                preamble.blocks.append(Block("text", "", body, lineno))
                title_lines.add(lineno)
                continue
        if body[0] in "IiÜü" and _TOC.match(body) and (is_md_heading or not units or current is preamble):
            in_toc = True
            toc.append(TocEntry(body, lineno))
            continue
        unit_head = None
        if is_md_heading:
            unit_head = _heading_unit(body)
            if in_toc and unit_head is None and _OUTLINE.match(body):
                in_toc = False
        elif not in_toc and not md_headings:
            unit_head, i = _plain_heading(body, lines, i)
        elif in_toc and not md_headings and (_PARA_DASH.match(body) or _ART_DASH.match(body)):
            unit_head = _heading_unit(body)
        if unit_head is not None:
            in_toc = False
            kind, label, utitle = unit_head
            count = seen_labels.get(label, 0) + 1
            seen_labels[label] = count
            if count > 1:
                label = f"{label} ({count})"
            current = Unit(kind=kind, label=label, title=utitle, heading_line=lineno,
                           outline=list(current_outline), heading_text=body)
            units.append(current)
            continue
        if in_toc:
            toc.append(TocEntry(body, lineno))
            continue
        om = _OUTLINE.match(body) if (is_md_heading or len(body) <= 200) and _OUTLINE_HINT.search(body) else None
        if om and (is_md_heading or not body.endswith((".", ",", ";"))):
            kind = (om.group(1) or om.group(2)).lower()
            if not (om.group(3) or "").strip() and not is_md_heading:
                # "Teil 1" on its own line: the next short line is its title
                j = i
                while j < n and not lines[j]:
                    j += 1
                if j < n and len(lines[j]) <= 200 and _classify_block(lines[j])[0] == "text" \
                        and not lines[j].endswith((".", ",", ";", ":")) and lines[j][:1] not in "§#" \
                        and not _heading_unit(lines[j]):
                    body = f"{body} – {lines[j]}"
                    i = j + 1
            outline.append((kind, body, lineno))
            current_outline = [h for h in current_outline if not _outline_rank_ge(h, kind)] + [body]
            # an outline heading closes the current unit: following text is its own block
            current = Unit(kind="outline", label="", title=body, heading_line=lineno, outline=list(current_outline),
                           heading_text=body)
            units.append(current)
            continue
        # any other line (also an unknown Markdown heading inside a unit) is part of the unit's text
        kind, marker = _classify_block(body)
        current.blocks.append(Block(kind, marker, body, lineno))

    units = [u for u in units if u.kind != "outline" or u.blocks]
    for u in units:
        if u.kind == "outline":
            # text under an outline heading without a unit of its own
            u.kind = "text"
            u.label = _unique(u.title or "Text", seen_labels)
    doc_units = ([preamble] if preamble.blocks else []) + units
    structured = any(u.kind in ("paragraph", "artikel", "anlage") for u in units)
    notices: list[str] = []
    if not structured:
        head = Unit(kind="titel", label="Titel", title="", heading_line=0,
                    blocks=[b for b in preamble.blocks if b.line in title_lines])
        doc_units = _paragraph_units(lines, head if head.blocks else None, toc)
        notices.append("Keine Gliederung (§, Artikel, Anlage) erkannt: der Text wird absatzweise verglichen.")
    if not title and preamble.blocks:
        title = preamble.blocks[0].text[:500]
        head_text = " ".join(b.text for b in preamble.blocks[:3])
    else:
        head_text = title
    abbreviation = ""
    m = _ABBR.search(head_text) or _ABBR.search(title)
    if m:
        abbreviation = m.group(2)
    elif title:
        bm = _BRACKET_TITLE.match(title)
        if bm:
            abbreviation = bm.group(1)
    if not title and name:
        title = name
    return LegalDocument(title=title, abbreviation=abbreviation, units=doc_units, toc=toc,
                         structured=structured, notices=notices, outline=outline)


def _plain_heading(body: str, lines: list[str], i: int) -> tuple[tuple[str, str, str] | None, int]:
    """A unit heading in text without Markdown headings; may take the next line as title."""
    first = body[:1]
    if first == "§":
        if _PARA_DASH.match(body):
            return _heading_unit(body), i
        if _PARA_ALONE.match(body):
            head = _heading_unit(body)
            return _title_from_next(head, lines, i)
        m = _PARA_TITLE.match(body)
        if m and not _NOT_TITLE_START.match(m.group(3)):
            return _heading_unit(body), i
        return None, i
    if first == "A":
        if _ART_DASH.match(body):
            return _heading_unit(body), i
        if _ART_ALONE.match(body):
            return _title_from_next(_heading_unit(body), lines, i)
    if first in "AEPS" and len(body) <= 200 and not body.endswith((".", ",", ";")) \
            and re.match(r"^(Anlage|Anhang|Eingangsformel|Präambel|Schlussformel)\b", body):
        head = _heading_unit(body)
        if head and head[0] == "anlage" and not head[2]:
            return _title_from_next(head, lines, i)
        return head, i
    return None, i


def _title_from_next(head, lines: list[str], i: int):
    """For "§ 3" alone on a line: the next short non-list line is its title."""
    if head is None:
        return None, i
    j = i
    n = len(lines)
    while j < n and not lines[j]:
        j += 1
    if j < n:
        nxt = lines[j]
        if is_placeholder(nxt) or (len(nxt) <= 200 and _classify_block(nxt)[0] == "text"
                                   and not nxt.endswith((".", ":", ",", ";")) and nxt[:1] != "§"):
            return (head[0], head[1], nxt), j + 1
    return head, i


def _unique(label: str, seen: dict[str, int]) -> str:
    count = seen.get(label, 0) + 1
    seen[label] = count
    return label if count == 1 else f"{label} ({count})"


_OUTLINE_RANK = {"buch": 0, "teil": 1, "kapitel": 2, "abschnitt": 3, "unterabschnitt": 4, "titel": 5}


def _outline_rank_ge(heading: str, kind: str) -> bool:
    """True if ``heading`` is at the same or a lower level than ``kind`` (so it is closed)."""
    m = _OUTLINE.match(heading)
    if not m:
        return True
    other = (m.group(1) or m.group(2)).lower()
    return _OUTLINE_RANK.get(other, 9) >= _OUTLINE_RANK.get(kind, 9)


def _heading_text(line: str) -> str:
    """The text of a Markdown heading line ("## § 1 Zweck ##" → "§ 1 Zweck"); other lines as they are.

    Plain string operations: the equivalent pattern (a lazy group between optional spaces) took
    minutes on one line with many spaces, and ordinances are uploaded by users.
    """
    hashes = len(line) - len(line.lstrip("#"))
    if not hashes:
        return line
    return line[min(hashes, 6):].strip().rstrip("#").strip()


def _paragraph_units(lines: list[str], preamble: Unit | None, toc: list[TocEntry]) -> list[Unit]:
    """Fallback for texts without recognisable structure: one unit per paragraph."""
    toc_lines = {t.line for t in toc}
    pre_lines = {b.line for b in preamble.blocks} if preamble else set()
    units: list[Unit] = [preamble] if preamble else []
    current: Unit | None = None
    count = 0
    for idx, line in enumerate(lines, start=1):
        if not line:
            current = None
            continue
        if idx in toc_lines or idx in pre_lines:
            continue
        if current is None:
            count += 1
            current = Unit(kind="text", label=f"Textabsatz {count}", title="", heading_line=0)
            units.append(current)
        text = _heading_text(line) if line.startswith("#") else line
        kind, marker = _classify_block(text)
        current.blocks.append(Block(kind, marker, text, idx))
    return units


# ---------------------------------------------------------------------------- sub-structure

_SHORT = {"absatz": "Abs.", "nummer": "Nr.", "buchstabe": "Buchst.", "doppelbuchstabe": "Doppelbuchst.",
          "dreifachbuchstabe": "Dreifachbuchst."}


def build_tree(blocks: list[Block]) -> list[Node]:
    """Nest the blocks of a unit: Absatz > Nummer > Buchstabe > Doppelbuchstabe; text joins its parent."""
    roots: list[Node] = []
    stack: list[Node] = []
    text_counter: dict[int, int] = {}
    prev_marker_only = False
    for block in blocks:
        if block.kind == "text" and prev_marker_only and stack:
            stack[-1].text = f"{stack[-1].text} {block.text}"
            prev_marker_only = False
            continue
        prev_marker_only = block.kind != "text" and block.text.rstrip(").").strip("(") == block.marker
        if block.kind == "text":
            # text after a list belongs to the enclosing Absatz (or the unit), not to the last item
            while stack and stack[-1].kind != "absatz":
                stack.pop()
            parent_children = stack[-1].children if stack else roots
            key = id(parent_children)
            text_counter[key] = text_counter.get(key, 0) + 1
            parent_children.append(Node("text", "", f"Text {text_counter[key]}", block.text, block.line))
            continue
        level = LEVEL[block.kind]
        while stack and LEVEL.get(stack[-1].kind, 0) >= level:
            stack.pop()
        node = Node(block.kind, block.marker, f"{_SHORT[block.kind]} {block.marker}", block.text, block.line)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


_ABBREV_BEFORE_DOT = re.compile(
    r"(?:\b(?:Abs|Nr|Art|Buchst|Doppelbuchst|bzw|ca|d\.h|ggf|gem|i\.V\.m|i\.S\.d|u\.a|usw|vgl|z\.B|S|Bl|BGBl|Anh|"
    r"lit|Ziff|Kap|Abschn|Verf|Hs|Alt|Var|Nrn|Rn|Aufl|sog|einschl|insb|max|min|mind|Dr|St|Str|Tz|v|i|I|II|III|IV)"
    r"|\d)$"
)


def split_sentences(text: str) -> list[str]:
    """Sentences (Satz) of a text block. Abbreviations like "Abs." or "BGBl. I S." do not end one."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[.;:!?](?=\s+[A-ZÄÖÜ(„\"])", text):
        candidate = text[start:m.end()]
        before = text[start:m.start()].rstrip()
        if m.group(0) == "." and _ABBREV_BEFORE_DOT.search(before):
            continue
        if m.group(0) in ";:":
            continue
        out.append(candidate.strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def check_usable(doc: LegalDocument) -> None:
    """Refuse texts that are only a title (a stub delivered by the source) or empty."""
    body = [b for u in doc.units if u.kind != "titel" for b in u.blocks]
    heads = [u for u in doc.units if u.kind != "titel" and u.heading_line]
    if not body and not heads:
        short = doc.title if len(doc.title) <= 120 else doc.title[:117].rsplit(" ", 1)[0] + " …"
        title = f" („{short}“)" if doc.title else ""
        raise LegalTextError(
            f"Die Datei enthält nur den Titel{title} und keinen Normtext – vermutlich unvollständig "
            "geliefert. Bitte die vollständige Fassung hochladen; eine leere Fassung würde im "
            "Vergleich als „alles gestrichen“ erscheinen."
        )
