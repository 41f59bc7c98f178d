"""Amending acts (Änderungsverordnungen, Änderungsgesetze): recognise them and read their instructions.

Pure (no Django). An amending act says what changes in another legal text, after the drafting
conventions of the Handbuch der Rechtsförmlichkeit::

    Artikel 1
    Änderung der Coronavirus-Impfverordnung
    Die Coronavirus-Impfverordnung vom 30. August 2021 (…) wird wie folgt geändert:
    1. § 1 Absatz 2 wird wie folgt geändert:
       a) In Satz 1 werden die Wörter „…“ gestrichen.
       b) Nach Satz 1 werden folgende Sätze eingefügt: „…“

This module finds the Artikel (:func:`split_articles`), picks those that amend a given law
(:func:`matching_articles`) and turns the nested list into :class:`Instruction` objects whose
``context`` holds the texts of the enclosing items ("§ 1 Absatz 2 wird wie folgt geändert:").
:mod:`krisenwissen.regulations.amendapply` applies them to a base text.

Bounded: the act text is limited by :mod:`extract` (5 million characters); every regular
expression here is linear (no nested quantifiers over the same characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .legaltext import normalise_line

MAX_ACT_CHARS = 2_000_000

# page furniture of the Bundesanzeiger and the Bundesgesetzblatt (PDF text layer)
_FURNITURE = re.compile(
    r"^(?:www\.bundesanzeiger\.de|Verkündung|Veröffentlicht am \w+, \d{1,2}\. \w+ \d{4}"
    r"|BAnz AT \d\d\.\d\d\.\d{4} [A-Z]\d+|Seite \d+ von \d+|\d{1,5}"
    r"|Die PDF-Datei der amtlichen Veröffentlichung ist mit einer qualifizierten elektronischen Signatur.*"
    r"|Bundesgesetzblatt Jahrgang \d{4} Teil I+ Nr\. \d+, ausgegeben zu \w+ am .*"
    r"|Bundesgesetzblatt Teil I+\s*[–-]\s*Nr\. \d+ vom .*|ISSN \d{4}-\d{3}[\dX].*"
    r"|Herausgeber: Bundesministerium der Justiz.*|www\.recht\.bund\.de.*)$"
)
_ARTIKEL_LINE = re.compile(r"^(?:#{1,6}\s*)?(?:Artikel|Art\.)\s+(\d+[a-z]?|[IVXL]{1,6})\s*(?:[-–—:]\s*(.*))?$")
_INTRO_END = re.compile(r"wird\s+wie\s+folgt\s+geändert\s*:", re.IGNORECASE)
_SIGNALS = (
    re.compile(r"wird\s+wie\s+folgt\s+geändert\s*:"),
    re.compile(r"wird\s+wie\s+folgt\s+gefasst\s*:"),
    re.compile(r"(?:wird|werden)\s+(?:die\s+Wörter|das\s+Wort|die\s+Angaben?)\s+„[^“„]{0,500}“\s+"
               r"(?:durch|gestrichen|eingefügt)"),
    re.compile(r"(?:wird|werden)\s+(?:folgender|folgende|die\s+folgenden)\s+\w+(?:\s+[\w ]{1,40})?\s+"
               r"(?:eingefügt|angefügt)"),
    re.compile(r"(?:§|Absatz|Nummer|Satz)\s+\d+[a-z]?\s+wird\s+aufgehoben"),
)
_TITLE_SIGNAL = re.compile(
    r"(?:Verordnung|Gesetz|Satzung|Allgemeinverfügung|Änderungsverordnung)\s+zur\s+(?:\w+\s+)?Änderung\b"
    r"|^\s*(?:#+\s*)?(?:Erste|Zweite|Dritte|Vierte|Fünfte|Sechste|Siebte|Achte|Neunte|Zehnte|\w+te)\s+"
    r"(?:Verordnung|Gesetz)\s+zur\s+Änderung|Änderungsverordnung|Artikel\s+\d+\s*\n\s*Änderung\s+(?:der|des)\b",
    re.MULTILINE,
)


class AmendingActError(ValueError):
    """The text is no amending act, or none of its Artikel amends the chosen law (German message)."""


@dataclass
class Instruction:
    """One leaf of the instruction list: what to do, with the addresses of the enclosing items."""

    number: str  # "7 a aa" (path of item markers); "" for an Artikel with one instruction
    text: str  # the item's own text (quotes included)
    context: list[str] = field(default_factory=list)  # texts of the enclosing items, outermost first
    article: str = ""  # "Artikel 1"

    @property
    def label(self) -> str:
        """German designation, e.g. "Artikel 1 Nummer 7 Buchstabe a Doppelbuchstabe aa"."""
        parts = [self.article] if self.article else []
        names = ("Nummer", "Buchstabe", "Doppelbuchstabe", "Dreifachbuchstabe")
        for i, marker in enumerate(self.number.split()):
            parts.append(f"{names[min(i, 3)]} {marker}")
        return " ".join(parts)


@dataclass
class Article:
    number: str  # "1"
    heading: str  # "Änderung der Coronavirus-Impfverordnung"
    body: str  # text after the heading
    intro: str = ""  # "Die Coronavirus-Impfverordnung vom … wird wie folgt geändert:"
    instructions: list[Instruction] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Artikel {self.number}" if self.number else "Verordnung"


@dataclass
class AmendingAct:
    title: str
    articles: list[Article]


# ---------------------------------------------------------------------------- text clean-up


def clean_act_text(text: str) -> str:
    """Lines of the act without page furniture, Markdown escapes and odd white space."""
    text = text[:MAX_ACT_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    # other quotation styles: »…«, „…” (closing U+201D)
    text = text.replace("»", "„").replace("«", "“").replace("\u201d", "“").replace("\u00ad", "")
    out = []
    for raw in text.split("\n"):
        line = normalise_line(raw) if raw.strip() else ""
        if line.startswith(("% ", "- ")) and not line.startswith("- „"):
            line = line[2:].strip()
        if line and _FURNITURE.match(line):
            continue
        out.append(line)
    return "\n".join(out)


def is_amending_act(text: str) -> bool:
    """True if the text reads as an amending act rather than a (consolidated) version of a law."""
    sample = clean_act_text(text[:200_000])
    signals = sum(len(rx.findall(sample)) for rx in _SIGNALS)
    if signals >= 3:
        return True
    return signals >= 1 and bool(_TITLE_SIGNAL.search(sample[:20_000]))


def act_title(text: str) -> str:
    """The act's title ("Verordnung zur Änderung der …"), from its first lines."""
    lines = [ln.lstrip("#% ").strip() for ln in text.split("\n")[:40] if ln.strip()]
    for i, line in enumerate(lines):
        m = re.search(r"((?:\w+\s+)?(?:Verordnung|Gesetz|Satzung)\b.*)$", line)
        if m and ("Änderung" in line or (i + 1 < len(lines) and lines[i + 1].startswith("zur Änderung"))):
            title = m.group(1)
            j = i + 1
            while j < len(lines) and len(title) < 400 and not lines[j].startswith(("Vom ", "vom ", "Artikel")) \
                    and re.match(r"^(zur|und|der|des|sowie|weiterer|anderer)\b", lines[j]):
                title += " " + lines[j]
                j += 1
            return title
    return lines[0][:300] if lines else ""


# ---------------------------------------------------------------------------- quotes


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the outermost „…“ quotations (start at „, end after “). Unclosed: to the end."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "„":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "“" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth:
        spans.append((start, len(text)))
    return spans


def _outside_quote_mask(lines: list[str]) -> list[bool]:
    """For each line: does it start outside a quotation?"""
    mask, depth = [], 0
    for line in lines:
        mask.append(depth == 0)
        for ch in line:
            if ch == "„":
                depth += 1
            elif ch == "“" and depth:
                depth -= 1
    return mask


# ---------------------------------------------------------------------------- articles


def split_articles(text: str) -> list[Article]:
    """The Artikel of an act; an act without Artikel is one article numbered ""."""
    lines = clean_act_text(text).split("\n")
    outside = _outside_quote_mask(lines)
    starts = []
    for i, line in enumerate(lines):
        if outside[i] and _ARTIKEL_LINE.match(line):
            starts.append(i)
    if not starts:
        body = "\n".join(lines)
        return [Article(number="", heading="", body=body)]
    articles = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        m = _ARTIKEL_LINE.match(lines[start])
        heading = (m.group(2) or "").strip()
        j = start + 1
        while not heading and j < end and not lines[j]:
            j += 1
        if not heading and j < end and len(lines[j]) <= 200 and not _INTRO_END.search(lines[j]) \
                and not lines[j].endswith((".", ":")):
            heading = lines[j].lstrip("#").strip()
            j += 1
        articles.append(Article(number=m.group(1), heading=heading, body="\n".join(lines[j:end]).strip()))
    return articles


def law_names(title: str, abbreviation: str = "") -> list[str]:
    """Names by which an act may cite the law: short title, abbreviation, long title."""
    names: list[str] = []
    title = " ".join(title.split())
    for inner in re.findall(r"\(([^()]{2,200})\)", title):
        for part in re.split(r"\s+[-–]\s+", inner):
            part = part.strip()
            if len(part) >= 3 and not re.fullmatch(r"[\d.\s]+", part):
                names.append(part)
    long_title = re.sub(r"\s*\([^()]*\)\s*", " ", title).strip()
    if long_title:
        names.append(long_title)
    if abbreviation:
        names.append(abbreviation)
    seen, out = set(), []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _name_pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in name.split()]
    # genitive forms ("des Infektionsschutzgesetzes"); a line break may split the name
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?:es|s)?(?![\w-])", re.IGNORECASE)


def article_names_law(article: Article, names: list[str]) -> bool:
    head = article.heading + "\n" + _intro_text(article.body)
    return any(_name_pattern(n).search(head) for n in names if n)


def _intro_text(body: str) -> str:
    m = _INTRO_END.search(body[:5000])
    if m:
        return body[:m.end()]
    spans = quote_spans(body[:5000])
    return body[:spans[0][0]] if spans else body[:1500]


def parse_act(text: str) -> AmendingAct:
    """Split an act into Artikel and read each Artikel's instructions."""
    articles = split_articles(text)
    for article in articles:
        article.intro, article.instructions = parse_instructions(article.body, article=article.label)
    return AmendingAct(title=act_title(clean_act_text(text[:20_000])), articles=articles)


# ---------------------------------------------------------------------------- instruction lists

_ITEM = re.compile(r"^(?:(\d+[a-z]?)\.|([a-z])\2\2\)|([a-z])\3\)|([a-z])\))\s+")
_LEVEL_FIRST = {1: "1", 2: "a", 3: "aa", 4: "aaa"}


def _item_marker(line: str) -> tuple[int, str, int] | None:
    m = _ITEM.match(line)
    if not m:
        return None
    if m.group(1):
        return 1, m.group(1), m.end()
    if m.group(2):
        return 4, m.group(2) * 3, m.end()
    if m.group(3):
        return 3, m.group(3) * 2, m.end()
    return 2, m.group(4), m.end()


def _follows(previous: str, marker: str) -> bool:
    """Is ``marker`` the next item after ``previous`` (1 → 2, 2 → 2a, a → b, aa → bb)?"""
    if previous[:1].isdigit():
        mp, mm = re.match(r"(\d+)([a-z]?)", previous), re.match(r"(\d+)([a-z]?)$", marker)
        if not mp or not mm:
            return False
        pn, pl, mn, ml = int(mp.group(1)), mp.group(2), int(mm.group(1)), mm.group(2)
        if mn == pn + 1 and not ml:
            return True
        return mn == pn and ml != "" and (pl == "" and ml == "a" or pl and ord(ml) == ord(pl) + 1)
    if not marker or marker[0].isdigit() or len(marker) != len(previous) or len(set(marker)) != 1:
        return False
    return ord(marker[0]) == ord(previous[0]) + 1


@dataclass
class _Item:
    level: int
    marker: str
    lines: list[str]
    children: list[_Item] = field(default_factory=list)


def parse_instructions(body: str, *, article: str = "") -> tuple[str, list[Instruction]]:
    """(intro, leaf instructions) of one Artikel body."""
    m = _INTRO_END.search(body)
    spans = quote_spans(body)
    if m and any(s <= m.start() < e for s, e in spans):
        m = None
    if not m:
        text = " ".join(body.split())
        # an Artikel with a single instruction ("In § 17 Satz 1 der … wird … ersetzt.")
        if not text or not re.search(r"(ersetzt|gestrichen|eingefügt|angefügt|aufgehoben|gefasst|Fassung)", text):
            return text, []
        return "", [Instruction(number="", text=body.strip(), article=article)]
    intro = " ".join(body[:m.end()].split())
    rest = body[m.end():].split("\n")
    outside = _outside_quote_mask(rest)
    root = _Item(level=0, marker="", lines=[])
    stack = [root]
    for i, line in enumerate(rest):
        if not line:
            stack[-1].lines.append("")
            continue
        found = _item_marker(line) if outside[i] else None
        accepted = False
        if found:
            level, marker, end = found
            # a new sub-list under the current item, or the next item of an open list
            if level == stack[-1].level + 1 and marker == _LEVEL_FIRST[level]:
                accepted = True
            else:
                for depth in range(len(stack) - 1, 0, -1):
                    if stack[depth].level == level and _follows(stack[depth].marker, marker):
                        del stack[depth:]
                        accepted = True
                        break
            if accepted:
                item = _Item(level=level, marker=marker, lines=[line[end:]])
                stack[-1].children.append(item)
                stack.append(item)
                continue
        stack[-1].lines.append(line)
    out: list[Instruction] = []

    def walk(item: _Item, path: list[str], context: list[str]) -> None:
        own = _join_lines(item.lines)
        if not item.children:
            if item.level and own:
                out.append(Instruction(number=" ".join(path), text=own, context=context, article=article))
            return
        for child in item.children:
            walk(child, path + [child.marker], context + ([own] if item.level and own else []))

    walk(root, [], [])
    return intro, out


def _join_lines(lines: list[str]) -> str:
    """Lines of one item; line breaks inside quotations are kept (they may separate Absätze)."""
    text = "\n".join(lines).strip()
    spans = quote_spans(text)
    if not spans:
        return " ".join(text.split())
    parts, pos = [], 0
    for s, e in spans:
        parts.append(re.sub(r"\s+", " ", text[pos:s]))
        parts.append(text[s:e])
        pos = e
    parts.append(re.sub(r"\s+", " ", text[pos:]))
    return re.sub(r" +", " ", "".join(parts)).strip()
