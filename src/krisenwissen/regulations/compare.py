"""Structure-aware comparison of two versions of a legal text (pure: no Django imports).

1. Pairing of top-level units (§, Artikel, Anlage, Eingangsformel, title block) as an
   assignment problem: units with equal content pair at once (fast path); the rest pair by a
   global best match over heading and content similarity, the distance of their numbers only
   breaking ties, and a unit without a partner above ``NO_PARTNER`` is inserted or repealed.
   Statuses follow the drafting conventions: unchanged, modified, inserted, repealed,
   renumbered, renumbered_modified, moved; a re-issue of the whole text sets
   ``Comparison.reissue``.
2. Inside paired units the sub-units (Absatz, Nummer, Buchstabe, Doppelbuchstabe, text) pair
   the same way: equal content first (without the markers), then by similarity.
3. Word diffs: the words marked deleted/inserted are exactly those a word diff of the two texts
   changes (punctuation counts, white space does not). ``UnitChange.ops()`` spells a unit's
   whole old and new text (heading and body).
4. A German summary in drafting style ("§ 3 Absatz 1 Satz 2 angefügt", "bisheriger § 6 wird
   § 7", "§ 12 aufgehoben", "Neufassung der Verordnung (bisher vom …)").
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .legaltext import (
    _SHORT,
    Block,
    LegalDocument,
    Unit,
    _classify_block,
    is_placeholder,
    split_sentences,
)
from .legaltext import LEVEL as _LEVEL

UNCHANGED = "unchanged"
MODIFIED = "modified"
INSERTED = "inserted"
REPEALED = "repealed"
MOVED = "moved"
RENUMBERED = "renumbered"
RENUMBERED_MODIFIED = "renumbered_modified"

STATUSES = (UNCHANGED, MODIFIED, INSERTED, REPEALED, RENUMBERED, RENUMBERED_MODIFIED, MOVED)

STATUS_LABELS = {
    UNCHANGED: "unverändert",
    MODIFIED: "geändert",
    INSERTED: "eingefügt",
    REPEALED: "aufgehoben",
    MOVED: "verschoben",
    RENUMBERED: "umnummeriert",
    RENUMBERED_MODIFIED: "umnummeriert und geändert",
}

REWRITE_THRESHOLD = 0.5  # "neu gefasst": less than this share of the old AND of the new words is kept
NO_PARTNER = 0.35  # below this pairing score a unit has no partner (inserted / repealed)
SEGMENT_NO_PARTNER = 0.4  # the same for sub-units (content only, no heading)
HEADING_WEIGHT = 0.4  # weight of the heading similarity in the pairing score of titled units
CONTENT_ALONE = 0.5  # content this similar pairs even under another heading (unrelated §§: p99 0.23)
REISSUE_SHARE = 0.5  # a new issue date and at least this share of units changed: a re-issue
MAX_PAIRINGS = 40_000  # more candidate pairs of top-level units than this: only nearby ones are scored
WINDOW = 100
TIE = 0.05  # pairing scores this close count as equal; the number distance decides
MAX_TOKEN_PRODUCT = 16_000_000  # word diffs larger than this are shown as one replacement

_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
_MARKER = re.compile(r"^(?:\(\d+[a-z]?\)|(?:-\s+)?\d+[a-z]?\.(?:\s*::)?|[a-z]{1,3}\))\s*")
_WORD = re.compile(r"\w+")
_DUPLICATE = re.compile(r" \(\d+\)$")


def unit_text(unit: Unit | None) -> str:
    """The whole text of a unit as compared: heading line, then the body lines."""
    if unit is None:
        return ""
    lines = [unit.heading_text] if unit.heading_text else []
    lines.extend(b.text for b in unit.blocks)
    return "\n".join(lines)


@dataclass
class Segment:
    """A flattened sub-unit: its path label ("Abs. 3 Nr. 2") and its own text."""

    label: str
    top: str  # the Absatz part of the label ("Abs. 3") or "" for unit-level text
    text: str
    key: str  # text without the structural marker: equal keys mean equal content
    line: int
    kind: str = "text"


@dataclass
class SegmentChange:
    status: str
    label: str
    old_label: str
    old_text: str
    new_text: str
    ops: list[tuple[str, str]] = field(default_factory=list)  # ("equal"|"delete"|"insert", text)
    ratio: float = 0.0
    appended: bool = False  # inserted after the last sibling of its kind ("angefügt")

    @property
    def top(self) -> str:
        return _top(self.label or self.old_label)

    @property
    def display_label(self) -> str:
        """The label for display: "Abs. 2 → Abs. 3" when renumbered."""
        if self.old_label and self.label and self.old_label != self.label:
            return f"{self.old_label} → {self.label}"
        return self.label or self.old_label


@dataclass
class UnitChange:
    """One unit of the comparison, in the order of the new version (repealed ones where they stood).

    ``label``/``old_label``: the unit's label in the new/old version ("" when inserted/repealed);
    ``old``/``new``: the parsed units (``new`` is the "(weggefallen)" placeholder when a unit
    was repealed by one); ``ops()``: the word diff of ``old_text`` → ``new_text``.
    """

    status: str
    label: str  # label in the new version ("" if repealed -> old label is used for display)
    old_label: str  # label in the old version ("" if inserted)
    old: Unit | None
    new: Unit | None
    similarity: float = 1.0
    moved: bool = False
    title_changed: bool = False
    segments: list[SegmentChange] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    title_ops: list[tuple[str, str]] = field(default_factory=list)
    appended: bool = False  # inserted after the last remaining unit of its kind ("angefügt")
    kept_old: float = 1.0  # share of the old words kept
    kept_new: float = 1.0  # share of the new words kept
    _ops: list[tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    @property
    def display_label(self) -> str:
        return self.label or self.old_label

    @property
    def old_text(self) -> str:
        """The unit's whole old text (heading line and body lines, normalised), "" if inserted."""
        return unit_text(self.old)

    @property
    def new_text(self) -> str:
        """The unit's whole new text (heading line and body lines, normalised), "" if repealed."""
        return unit_text(self.new)

    def ops(self) -> list[tuple[str, str]]:
        """[(op, text)] over the unit's whole text, op in equal/delete/insert.

        equal + delete spell ``old_text``, equal + insert spell ``new_text`` exactly; the words
        marked are exactly those a word diff of the two texts changes.
        """
        if self._ops is None:
            self._ops = word_diff(self.old_text, self.new_text)
        return list(self._ops)

    @property
    def rewritten(self) -> bool:
        """"neu gefasst": most of the unit replaced (most old words gone, most new words new)."""
        return (self.status in (MODIFIED, RENUMBERED_MODIFIED) and self.kept_old < REWRITE_THRESHOLD
                and self.kept_new < REWRITE_THRESHOLD)

    @property
    def changed(self) -> bool:
        return self.status != UNCHANGED

    @property
    def title(self) -> str:
        unit = self.new or self.old
        return unit.title if unit else ""

    @property
    def phrase(self) -> str:
        return describe(self)

    def changed_text(self) -> str:
        """Text of the changed parts (old and new), used for keyword rules."""
        parts = [self.title]
        if self.old is not None and self.old.title != self.title:
            parts.append(self.old.title)
        if self.status in (INSERTED, REPEALED, MOVED, RENUMBERED) or not self.segments:
            for unit in (self.new, self.old) if self.status == REPEALED else (self.new or self.old,):
                if unit is not None:
                    parts.append(unit.body_text)
        for seg in self.segments:
            if seg.status != UNCHANGED:
                parts.append(seg.old_text)
                parts.append(seg.new_text)
        return "\n".join(p for p in parts if p)


@dataclass
class Comparison:
    old: LegalDocument
    new: LegalDocument
    units: list[UnitChange]
    notices: list[str] = field(default_factory=list)
    reissue: bool = False  # Neufassung/Ablösung of the whole text (new issue date, most units changed)
    reissue_from: str = ""  # the old issue date ("28. September 2021") when ``reissue``

    @property
    def changes(self) -> list[UnitChange]:
        return [u for u in self.units if u.changed]

    @property
    def identical(self) -> bool:
        return not self.changes

    @property
    def summary_items(self) -> list[str]:
        units = self.units
        head = []
        if self.reissue:
            kind = _text_kind(self.new.title or self.old.title)
            since = f" (bisher vom {self.reissue_from})" if self.reissue_from else ""
            head = [f"Neufassung {kind}{since}"]
            units = [u for u in units if (u.new or u.old).kind != "titel"]
        return head + _grouped_phrases(units)

    @property
    def summary(self) -> str:
        items = self.summary_items
        return "; ".join(items) if items else "keine Änderungen"

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for u in self.units:
            out[u.status] = out.get(u.status, 0) + 1
        return out

    @property
    def departments(self) -> list[str]:
        """The departments concerned by at least one change, sorted."""
        return sorted({d for u in self.changes for d in u.departments})

    def for_department(self, department: str) -> list[UnitChange]:
        return [u for u in self.changes if department in u.departments]

    def as_dict(self) -> dict:
        return {
            "summary": self.summary,
            "reissue": self.reissue,
            "old_title": self.old.title,
            "new_title": self.new.title,
            "notices": self.notices,
            "counts": self.counts(),
            "units": [
                {
                    "label": u.label,
                    "old_label": u.old_label,
                    "status": u.status,
                    "title": u.title,
                    "summary": describe(u) if u.changed else "",
                    "departments": u.departments,
                    "changes": [
                        {"label": s.label, "old_label": s.old_label, "status": s.status,
                         "deleted": " ".join(t for op, t in s.ops if op == "delete").strip(),
                         "inserted": " ".join(t for op, t in s.ops if op == "insert").strip()}
                        for s in u.segments if s.status != UNCHANGED
                    ],
                }
                for u in self.units
            ],
        }


def _run_key(change: UnitChange) -> tuple | None:
    """Changes with the same key next to each other read as one phrase ("§§ 3 bis 6 aufgehoben")."""
    unit = change.new if change.status != REPEALED else change.old
    if unit is None or unit.kind != "paragraph" or unit.repealed:
        return None
    if change.status == RENUMBERED:
        return (RENUMBERED,)
    if change.status == REPEALED and change.new is None:
        return (REPEALED,)
    if change.status == INSERTED and change.old is None:
        return (INSERTED, change.appended)
    return None


def _grouped_phrases(changes: list[UnitChange]) -> list[str]:
    """describe() of each change (``changes``: all units in order, unchanged ones are skipped but
    end a run); runs of three or more neighbouring §§ treated alike are named together as in
    amending acts: "§§ 3 bis 6 aufgehoben", "bisherige §§ 7 bis 14 werden §§ 3 bis 10"."""
    out: list[str] = []
    k = 0
    while k < len(changes):
        if not changes[k].changed:
            k += 1
            continue
        key = _run_key(changes[k])
        n = 1
        while key is not None and k + n < len(changes) and _run_key(changes[k + n]) == key:
            n += 1
        run = changes[k:k + n]
        if n == 1 and k + 1 < len(changes) and _same_number_replaced(changes[k], changes[k + 1]):
            # another subject under the same number (different heading): the old unit is
            # repealed and a new one takes its number - one item, repealed first
            out.append(f"{_clean(changes[k].label or changes[k].old_label)} aufgehoben, "
                       f"neuer {_clean(changes[k].label or changes[k].old_label)} eingefügt")
            k += 2
            continue
        k += n
        if n < 3:  # two stay apart: "§ 28b eingefügt; § 28c eingefügt"
            out.extend(describe(u) for u in run)
            continue

        def span(labels: list[str]) -> str:
            numbers = [_clean(label).removeprefix("§ ") for label in labels]
            return f"§§ {numbers[0]} bis {numbers[-1]}"

        if key[0] == RENUMBERED:
            out.append(f"bisherige {span([u.old_label for u in run])} werden {span([u.label for u in run])}")
        elif key[0] == REPEALED:
            out.append(f"{span([u.old_label for u in run])} aufgehoben")
        else:
            out.append(f"{span([u.label for u in run])} {'angefügt' if key[1] else 'eingefügt'}")
    return out


def _same_number_replaced(a: UnitChange, b: UnitChange) -> bool:
    """An inserted and a repealed unit side by side under the same label."""
    kinds = {a.status, b.status}
    if kinds != {INSERTED, REPEALED} or a.new is not None and a.old is not None:
        return False
    inserted, repealed = (a, b) if a.status == INSERTED else (b, a)
    return bool(inserted.label) and inserted.label == repealed.old_label and repealed.new is None


def _text_kind(title: str) -> str:
    low = title.lower()
    if "verordnung" in low:
        return "der Verordnung"
    if "gesetz" in low:
        return "des Gesetzes"
    if "satzung" in low:
        return "der Satzung"
    return "des Textes"


# ---------------------------------------------------------------------------- similarity


def _dice(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


class _Features:
    """Word and word-pair sets of a text, for the pairing score."""

    __slots__ = ("words", "pairs", "title", "title_words")

    def __init__(self, text: str, title: str = "") -> None:
        self.title = title
        self.title_words = set(_WORD.findall(title.lower()))
        # white-space separated words (str.split is several times faster than a regex here;
        # punctuation sticking to a word barely moves a similarity of whole §§)
        words = text.lower().split()
        self.words = set(words)
        # word pairs by their hash: sets of ints intersect fast (a tuple's hash is not cached)
        self.pairs = set(map(hash, zip(words, words[1:], strict=False)))

    def content(self, other: _Features) -> float:
        return (_dice(self.words, other.words) + _dice(self.pairs, other.pairs)) / 2

    def content_bound(self, other: _Features) -> float:
        """An upper bound of ``content`` from the set sizes alone (no intersection)."""
        return (_dice_bound(self.words, other.words) + _dice_bound(self.pairs, other.pairs)) / 2


def _dice_bound(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return 2 * min(len(a), len(b)) / (len(a) + len(b))


def _heading_similarity(a: _Features, b: _Features) -> float | None:
    """Similarity of two unit headings; None when neither unit has one."""
    if not a.title and not b.title:
        return None
    if a.title == b.title:
        return 1.0
    return _dice(a.title_words, b.title_words)


_NUMBER = re.compile(r"(\d+)\s*([a-z]*)")


def _number(label: str) -> float | None:
    m = _NUMBER.search(label)
    if not m:
        letters = re.search(r"\b([a-z]{1,3})\)?$", label)
        return float(ord(letters.group(1)[0]) - 96) if letters else None
    value = float(m.group(1))
    for k, ch in enumerate(m.group(2)[:3]):
        value += (ord(ch) - 96) / (27 ** (k + 1))
    return value


def _distance(a: str, b: str, pa: int, pb: int) -> float:
    """Tie-breaker: how far apart two numbers are (positions when the labels carry none)."""
    na, nb = _number(a), _number(b)
    if na is None or nb is None:
        return float(abs(pa - pb))
    return abs(na - nb)


def _assign(candidates: list[tuple[float, float, int, int]]) -> dict[int, int]:
    """Pairs (old -> new) from scored candidates (score, tie-breaker distance, old, new).

    Greedy by best score: the globally most similar pair is taken first, then the next among the
    still free units, and so on; equal scores (within ``TIE``, so that a few words more or less in
    common do not swap two similar Absätze) go to the nearer number. This is a deliberate
    choice over a sum-maximising assignment (Hungarian method, scipy's linear_sum_assignment):
    it never gives up a unit's clearly best partner to raise the total of two mediocre pairs,
    which is how a reader pairs §§ too, it costs O(k² log k) in pure Python for the k units
    left after the content-hash fast path (k is rarely above 50), and it adds no dependency of
    ~100 MB (scipy + numpy) nor its import time to the command line.
    """
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _s, _d, oi, ni in sorted(candidates, key=lambda c: (-round(c[0] / TIE), c[1], c[2], c[3])):
        if oi in pairs or ni in taken:
            continue
        pairs[oi] = ni
        taken.add(ni)
    return pairs


# ---------------------------------------------------------------------------- top level

_SINGLETON_KINDS = ("titel", "eingangsformel", "praeambel", "schlussformel")


def compare(old: LegalDocument, new: LegalDocument) -> Comparison:
    """Compare two parsed versions."""
    notices = list(dict.fromkeys([*old.notices, *new.notices]))
    if not (old.structured and new.structured):
        return Comparison(old, new, _compare_sequence(old.units, new.units), notices)

    olds, news = old.units, new.units
    pairs = _pair_units(olds, news)
    status: dict[int, str] = {}
    for oi, ni in pairs.items():
        ou, nu = olds[oi], news[ni]
        same_label = ou.label == nu.label
        if ou.content_key == nu.content_key:
            status[ni] = UNCHANGED if same_label else RENUMBERED
        elif nu.repealed and not ou.repealed:
            status[ni] = REPEALED
        elif ou.repealed and not nu.repealed:
            status[ni] = INSERTED
        else:
            status[ni] = MODIFIED if same_label else RENUMBERED_MODIFIED

    # moves: matched pairs outside the longest increasing run of new positions
    ordered = sorted(pairs.items())
    keep = _lis_indices([ni for _oi, ni in ordered])
    moved_new = {ordered[k][1] for k in range(len(ordered)) if k not in keep}

    old_of_new = {ni: oi for oi, ni in pairs.items()}
    result: list[UnitChange] = []
    emitted_old: set[int] = set()
    next_old = 0

    def emit_repealed_until(limit: int) -> None:
        nonlocal next_old
        while next_old < limit:
            if next_old not in pairs and next_old not in emitted_old:
                u = olds[next_old]
                result.append(UnitChange(REPEALED, "", u.label, u, None, similarity=0.0, kept_old=0.0, kept_new=0.0))
                emitted_old.add(next_old)
            next_old += 1

    for ni, nu in enumerate(news):
        oi = old_of_new.get(ni)
        if oi is None:
            result.append(UnitChange(INSERTED, nu.label, "", None, nu, similarity=0.0, kept_old=0.0, kept_new=0.0))
            continue
        if ni not in moved_new:
            emit_repealed_until(oi)
        ou = olds[oi]
        st = status[ni]
        change = UnitChange(st, nu.label, ou.label, ou, nu, moved=ni in moved_new)
        if st in (MODIFIED, RENUMBERED_MODIFIED):
            _fill_modified(change)
        elif st in (REPEALED, INSERTED):
            change.similarity = change.kept_old = change.kept_new = 0.0
        if change.status == UNCHANGED and change.moved:
            change.status = MOVED
        result.append(change)
    emit_repealed_until(len(olds))
    _mark_appended(result)
    comparison = Comparison(old, new, result, notices)
    _detect_reissue(comparison)
    return comparison


def _pair_units(olds: list[Unit], news: list[Unit]) -> dict[int, int]:
    """Old index -> new index for the units that correspond (see the module docstring)."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()

    def pair(oi: int, ni: int) -> None:
        pairs[oi] = ni
        taken.add(ni)

    # fast path: equal content (title and body). Same label first, then unique or in order.
    by_key_old: dict[str, list[int]] = {}
    for oi, u in enumerate(olds):
        by_key_old.setdefault(u.content_key, []).append(oi)
    by_key_new: dict[str, list[int]] = {}
    for ni, u in enumerate(news):
        by_key_new.setdefault(u.content_key, []).append(ni)
    for key, ois in by_key_old.items():
        nis = by_key_new.get(key)
        if not nis:
            continue
        new_by_label = {news[ni].label: ni for ni in nis}
        for oi in ois:
            ni = new_by_label.get(olds[oi].label)
            if ni is not None and ni not in taken:
                pair(oi, ni)
        # equal content under another label: a renumbering (never for "(weggefallen)" placeholders
        # or empty units, which are alike by nature)
        rest_o = [oi for oi in ois if oi not in pairs and _pairable(olds[oi])]
        rest_n = [ni for ni in nis if ni not in taken and _pairable(news[ni])]
        for oi, ni in zip(rest_o, rest_n, strict=False):
            pair(oi, ni)

    rest_old = [oi for oi in range(len(olds)) if oi not in pairs]
    rest_new = [ni for ni in range(len(news)) if ni not in taken]
    if rest_old and rest_new:
        # the title block, Eingangsformel etc. exist once: they pair by kind
        for kind in _SINGLETON_KINDS:
            o = [oi for oi in rest_old if olds[oi].kind == kind]
            n = [ni for ni in rest_new if news[ni].kind == kind]
            if len(o) == 1 and len(n) == 1:
                pair(o[0], n[0])
        rest_old = [oi for oi in rest_old if oi not in pairs and not olds[oi].repealed]
        rest_new = [ni for ni in rest_new if ni not in taken and not news[ni].repealed]
        if rest_old and rest_new:
            feats_old = {oi: _Features(olds[oi].body_text, olds[oi].title) for oi in rest_old}
            feats_new = {ni: _Features(news[ni].body_text, news[ni].title) for ni in rest_new}
            candidates = []
            fallback = []
            # bounded work for two unrelated long texts: beyond MAX_PAIRINGS candidate pairs only
            # units at most WINDOW places apart (among the unpaired ones) are scored
            window = len(rest_old) + len(rest_new) if len(rest_old) * len(rest_new) <= MAX_PAIRINGS else WINDOW
            for ko, oi in enumerate(rest_old):
                ou = olds[oi]
                fo = feats_old[oi]
                for kn, ni in enumerate(rest_new):
                    nu = news[ni]
                    if ou.kind != nu.kind or ou.kind in _SINGLETON_KINDS or abs(ko - kn) > window:
                        continue
                    fn = feats_new[ni]
                    heading = _heading_similarity(fo, fn)
                    if not ou.blocks or not nu.blocks:
                        # a heading without a body: only the headings can tell (one body: no match)
                        score = _score(0.0, heading) if ou.blocks or nu.blocks else (heading or 0.0)
                    else:
                        if ou.label != nu.label and _score(fo.content_bound(fn), heading) < NO_PARTNER:
                            continue  # cannot reach the threshold whatever the words in common
                        words = _dice(fo.words, fn.words)
                        if ou.label != nu.label and \
                                _score((words + _dice_bound(fo.pairs, fn.pairs)) / 2, heading) < NO_PARTNER:
                            continue
                        score = _score((words + _dice(fo.pairs, fn.pairs)) / 2, heading)
                    dist = _distance(ou.label, nu.label, oi, ni)
                    if score >= NO_PARTNER:
                        candidates.append((score, dist, oi, ni))
                    elif ou.label == nu.label and (heading is None or heading >= 0.5 or not ou.title or not nu.title):
                        # the same number, no better partner, a similar (or a missing) heading:
                        # the legislator's "wird wie folgt gefasst"
                        fallback.append((score, dist, oi, ni))
            for oi, ni in _assign(candidates).items():
                pair(oi, ni)
            for _s, _d, oi, ni in fallback:
                if oi not in pairs and ni not in taken:
                    pair(oi, ni)

    # a placeholder after a renumbered unit follows it ("§ 11 (weggefallen)" after § 10 -> § 11
    # becomes "§ 12 (weggefallen)" after § 11)
    old_of = {ni: oi for oi, ni in pairs.items()}
    for ni in range(1, len(news)):
        oi = old_of.get(ni - 1)
        if ni in taken or oi is None or oi + 1 >= len(olds) or oi + 1 in pairs:
            continue
        if news[ni].repealed and olds[oi + 1].repealed:
            pair(oi + 1, ni)
            old_of[ni] = oi + 1
    # a "(weggefallen)" placeholder where the old unit stood: that unit is repealed by it;
    # a placeholder replaced by a real unit: that unit is inserted in its place
    old_free = {olds[oi].label: oi for oi in range(len(olds)) if oi not in pairs}
    for ni, nu in enumerate(news):
        if ni in taken:
            continue
        oi = old_free.get(nu.label)
        if oi is not None and (nu.repealed or olds[oi].repealed):
            pair(oi, ni)
    return pairs


def _score(content: float, heading: float | None) -> float:
    """Pairing score: content similarity, weighted with the heading similarity when there is one.

    Content alike enough (``CONTENT_ALONE``) pairs whatever the headings say: a § that only got a
    new heading ("Erlass von Rechtsverordnungen" -> "Verordnungsermächtigung") is still that §.
    """
    if heading is None:
        return content
    weighted = (1 - HEADING_WEIGHT) * content + HEADING_WEIGHT * heading
    return max(weighted, content) if content >= CONTENT_ALONE else weighted


def _pairable(unit: Unit) -> bool:
    return bool(unit.blocks) and not unit.repealed


def _mark_appended(result: list[UnitChange]) -> None:
    """Inserted units after the last kept unit of their kind are "angefügt", others "eingefügt"."""
    seen_kept: set[str] = set()
    for change in reversed(result):
        unit = change.new
        if unit is None:
            continue
        if change.status == INSERTED:
            change.appended = unit.kind not in seen_kept
        else:
            seen_kept.add(unit.kind)


_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember")
_ISSUE_NUMERIC = re.compile(r"Ausfertigungsdatum:?\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})")
_ISSUE_WORDS = re.compile(r"\bvom\s+(\d{1,2})\.\s*(" + "|".join(_MONTHS) + r")\s+(\d{4})")


def issue_date(doc: LegalDocument) -> str:
    """The issue date (Ausfertigung) stated in the title block: "28. September 2021", or ""."""
    head = next((u for u in doc.units if u.kind == "titel"), None)
    text = "\n".join([doc.title, head.body_text if head else ""])
    m = _ISSUE_NUMERIC.search(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if 1 <= month <= 12:
            return f"{day}. {_MONTHS[month - 1]} {year}"
    m = _ISSUE_WORDS.search(doc.title)
    return f"{int(m.group(1))}. {m.group(2)} {m.group(3)}" if m else ""


def _detect_reissue(comparison: Comparison) -> None:
    """Neufassung/Ablösung: a new issue date and most norm units changed, renumbered or replaced."""
    old_date, new_date = issue_date(comparison.old), issue_date(comparison.new)
    if not old_date or not new_date or old_date == new_date:
        return
    norms = [u for u in comparison.units if (u.new or u.old).kind in ("paragraph", "artikel", "anlage")]
    if not norms:
        return
    changed = sum(1 for u in norms if u.changed)
    if changed / len(norms) >= REISSUE_SHARE:
        comparison.reissue = True
        comparison.reissue_from = old_date


def _lis_indices(seq: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, x in enumerate(seq):
        pos = bisect.bisect_left(tails, x)
        if pos == len(tails):
            tails.append(x)
            tails_idx.append(i)
        else:
            tails[pos] = x
            tails_idx[pos] = i
        prev[i] = tails_idx[pos - 1] if pos > 0 else -1
    out: set[int] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def _compare_sequence(olds: list[Unit], news: list[Unit]) -> list[UnitChange]:
    """Units without structure (plain paragraphs): align by content with a sequence diff."""
    a = [u.content_key for u in olds]
    b = [u.content_key for u in news]
    out: list[UnitChange] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for oi, ni in zip(range(i1, i2), range(j1, j2), strict=True):
                out.append(UnitChange(UNCHANGED, news[ni].label, olds[oi].label, olds[oi], news[ni]))
            continue
        k = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        if tag == "replace":
            for oi, ni in zip(range(i1, i1 + k), range(j1, j1 + k), strict=True):
                change = UnitChange(MODIFIED, news[ni].label, olds[oi].label, olds[oi], news[ni])
                _fill_modified(change)
                out.append(change)
        for oi in range(i1 + k, i2):
            out.append(UnitChange(REPEALED, "", olds[oi].label, olds[oi], None, similarity=0.0,
                                  kept_old=0.0, kept_new=0.0))
        for ni in range(j1 + k, j2):
            out.append(UnitChange(INSERTED, news[ni].label, "", None, news[ni], similarity=0.0,
                                  kept_old=0.0, kept_new=0.0))
    return out


# ---------------------------------------------------------------------------- inside a unit


def segments(blocks: list[Block]) -> list[Segment]:
    """Flatten a unit's blocks into segments with path labels (Abs. 1 Nr. 3 Buchst. a)."""
    out: list[Segment] = []
    path: list[tuple[str, str]] = []  # (kind, short label)
    text_count: dict[str, int] = {}
    seen: dict[str, int] = {}
    prev_marker_only = False
    for block in blocks:
        if block.kind == "text" and prev_marker_only and out:
            # "aa)" alone on a line (pandoc hard break): the next line is its text
            seg = out[-1]
            seg.text = f"{seg.text} {block.text}"
            seg.key = f"{seg.key} {block.text}".strip()
            prev_marker_only = False
            continue
        if block.kind == "text":
            while path and path[-1][0] != "absatz":
                path.pop()
            base = " ".join(p[1] for p in path)
            text_count[base] = text_count.get(base, 0) + 1
            label = (base + " " if base else "") + f"Text {text_count[base]}"
        else:
            level = _LEVEL[block.kind]
            while path and _LEVEL.get(path[-1][0], 0) >= level:
                path.pop()
            path.append((block.kind, f"{_SHORT[block.kind]} {block.marker}"))
            label = " ".join(p[1] for p in path)
        count = seen.get(label, 0) + 1
        seen[label] = count
        if count > 1:
            label = f"{label} ({count})"
        key = _MARKER.sub("", block.text, count=1) if block.kind != "text" else block.text
        prev_marker_only = block.kind != "text" and not key
        out.append(Segment(label, _top(label), block.text, key, block.line, block.kind))
    return out


_TOP = re.compile(r"^((?:Abs\.|Nr\.|Buchst\.|Doppelbuchst\.|Dreifachbuchst\.) \S+)")


def _top(label: str) -> str:
    """The first level of a segment label ("Abs. 3" of "Abs. 3 Nr. 2"); "" for unit-level text."""
    m = _TOP.match(label)
    return m.group(1) if m else ""


def _word_count(text: str) -> int:
    return len(text.split())


def _fill_modified(change: UnitChange) -> None:
    ou, nu = change.old, change.new
    assert ou is not None and nu is not None
    change.title_changed = ou.title != nu.title
    if change.title_changed:
        change.title_ops = word_diff(ou.title, nu.title)
    a = segments(ou.blocks)
    b = segments(nu.blocks)
    seg_changes: list[SegmentChange] = []
    for sa, sb in _pair_segments(a, b):
        if sa is not None and sb is not None:
            if sa.key == sb.key:
                st = UNCHANGED if sa.label == sb.label else RENUMBERED
                ops = [("equal", sb.text)] if sa.text == sb.text else word_diff(sa.text, sb.text)
                seg_changes.append(SegmentChange(st, sb.label, sa.label, sa.text, sb.text, ops, 1.0))
                continue
            ops = word_diff(sa.text, sb.text)
            st = MODIFIED if sa.label == sb.label else RENUMBERED_MODIFIED
            seg_changes.append(SegmentChange(st, sb.label, sa.label, sa.text, sb.text, ops, _ops_ratio(ops)))
        elif sa is not None:
            seg_changes.append(SegmentChange(REPEALED, "", sa.label, sa.text, "", [("delete", sa.text)], 0.0))
        elif sb is not None:
            seg_changes.append(SegmentChange(INSERTED, sb.label, "", "", sb.text, [("insert", sb.text)], 0.0))
    _mark_segments_appended(seg_changes)
    change.segments = seg_changes
    # shares of the words kept, for "neu gefasst" (heading words count too)
    kept = old_words = new_words = 0
    for seg in seg_changes:
        for op, text in seg.ops:
            n = _word_count(text)
            if op == "equal":
                kept += n
                old_words += n
                new_words += n
            elif op == "delete":
                old_words += n
            else:
                new_words += n
    for op, text in change.title_ops or [("equal", ou.title)]:
        n = _word_count(text)
        kept += n if op == "equal" else 0
        old_words += n if op != "insert" else 0
        new_words += n if op != "delete" else 0
    change.kept_old = kept / old_words if old_words else (1.0 if not new_words else 0.0)
    change.kept_new = kept / new_words if new_words else (1.0 if not old_words else 0.0)
    change.similarity = 2 * kept / (old_words + new_words) if (old_words + new_words) else 1.0


def _parent(label: str) -> str:
    label = _DUPLICATE.sub("", label)
    return label.rsplit(" ", 2)[0] if label.count(" ") >= 2 else ""


def _mark_segments_appended(changes: list[SegmentChange]) -> None:
    """An inserted sub-unit after the last kept sibling of its kind is "angefügt"."""
    seen: set[tuple[str, str]] = set()
    for seg in reversed(changes):
        if not seg.label:
            continue
        kind = _DUPLICATE.sub("", seg.label).rsplit(" ", 2)[-2] if " " in seg.label else seg.label
        key = (_parent(seg.label), kind)
        if seg.status == INSERTED:
            seg.appended = key not in seen
        else:
            seen.add(key)


def _pair_segments(olds: list[Segment], news: list[Segment]) -> list[tuple[Segment | None, Segment | None]]:
    """Pair the sub-units of two versions of a unit; (old, new) in the new order, (old, None) for a
    repealed one where it stood, (None, new) for an inserted one.

    1. Equal content (text without the marker) in the same order (difflib's matching blocks),
       then equal content elsewhere (a moved sub-unit).
    2. The rest by content similarity, greedy best match over the whole unit (see ``_assign``):
       only sub-units of the same kind (Absatz with Absatz, Nummer with Nummer …), the number
       distance only breaks ties; below ``SEGMENT_NO_PARTNER`` a sub-unit has no partner, except
       that the same label is the last resort ("Absatz 3 wird wie folgt gefasst").
    """
    pairs: dict[int, int] = {}
    sm = difflib.SequenceMatcher(None, [x.key for x in olds], [x.key for x in news], autojunk=False)
    for i, j, size in sm.get_matching_blocks():
        for k in range(size):
            pairs[i + k] = j + k
    used = set(pairs.values())
    free_by_key: dict[str, list[int]] = {}
    for j, sb in enumerate(news):
        if j not in used and sb.key:
            free_by_key.setdefault(sb.key, []).append(j)
    for i, sa in enumerate(olds):
        if i not in pairs and free_by_key.get(sa.key):
            j = free_by_key[sa.key].pop(0)
            pairs[i] = j
            used.add(j)
    rest_a = [i for i in range(len(olds)) if i not in pairs]
    rest_b = [j for j in range(len(news)) if j not in used]
    candidates = []
    fallback = []
    if rest_a and rest_b and len(rest_a) * len(rest_b) <= 40_000:
        words_b = {j: set(news[j].key.lower().split()) for j in rest_b}
        for i in rest_a:
            sa = olds[i]
            wa = set(sa.key.lower().split())
            for j in rest_b:
                sb = news[j]
                if sa.kind != sb.kind:
                    continue
                score = _dice(wa, words_b[j])
                dist = _distance(sa.label.rsplit(" ", 1)[-1], sb.label.rsplit(" ", 1)[-1], i, j)
                if score >= SEGMENT_NO_PARTNER:
                    candidates.append((score, dist, i, j))
                elif sa.label == sb.label:
                    fallback.append((score, dist, i, j))
    for i, j in _assign(candidates).items():
        pairs[i] = j
        used.add(j)
    for _s, _d, i, j in fallback:
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    # emit in new order, unpaired old segments before the next paired one that followed them
    out: list[tuple[Segment | None, Segment | None]] = []
    old_for_new = {j: i for i, j in pairs.items()}
    next_old = 0
    for j, sb in enumerate(news):
        i = old_for_new.get(j)
        if i is None:
            out.append((None, sb))
            continue
        while next_old < i:
            if next_old not in pairs:
                out.append((olds[next_old], None))
            next_old += 1
        next_old = max(next_old, i + 1)
        out.append((olds[i], sb))
    for k in range(next_old, len(olds)):
        if k not in pairs:
            out.append((olds[k], None))
    return out


# ---------------------------------------------------------------------------- word diff


def tokenize(text: str) -> list[str]:
    """Words and single punctuation marks with their following white space (they join back to the text)."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff: list of (op, text) with op in equal/delete/insert.

    Tokens are words and single punctuation marks; white space is not compared (a word followed
    by a line break equals the same word followed by a space: the word is "equal" and only the
    white space shows as deleted/inserted, without any word). The common prefix and suffix are
    cut, the middle is diffed with difflib (``autojunk=False``), and no unchanged word between
    two changes is ever marked: the marked words are exactly the word diff's. Joining the
    equal+delete texts gives ``old``, equal+insert gives ``new``.
    """
    if old == new:
        return [("equal", old)] if old else []
    a, b = tokenize(old), tokenize(new)
    ka = [t.rstrip() for t in a]
    kb = [t.rstrip() for t in b]
    pre = 0
    limit = min(len(a), len(b))
    while pre < limit and ka[pre] == kb[pre]:
        pre += 1
    suf = 0
    while suf < limit - pre and ka[-1 - suf] == kb[-1 - suf]:
        suf += 1
    ops: list[tuple[str, str]] = []

    def equal_run(i1: int, i2: int, j1: int) -> None:
        start = i1
        for i in range(i1, i2):
            ta, tb = a[i], b[j1 + i - i1]
            if ta != tb:  # same word, other white space after it
                if start < i:
                    ops.append(("equal", "".join(a[start:i])))
                word = ka[i]
                ops.append(("equal", word))
                if ta[len(word):]:
                    ops.append(("delete", ta[len(word):]))
                if tb[len(word):]:
                    ops.append(("insert", tb[len(word):]))
                start = i + 1
        if start < i2:
            ops.append(("equal", "".join(a[start:i2])))

    def change(ta: str, tb: str) -> None:
        tail = ""
        while ta and tb and ta[-1].isspace() and ta[-1] == tb[-1]:
            tail = ta[-1] + tail
            ta, tb = ta[:-1], tb[:-1]
        if ta:
            ops.append(("delete", ta))
        if tb:
            ops.append(("insert", tb))
        if tail:
            ops.append(("equal", tail))

    equal_run(0, pre, 0)
    mid_a, mid_b = ka[pre:len(a) - suf], kb[pre:len(b) - suf]
    if len(mid_a) * len(mid_b) > MAX_TOKEN_PRODUCT:
        change("".join(a[pre:len(a) - suf]), "".join(b[pre:len(b) - suf]))
    elif mid_a or mid_b:
        sm = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                equal_run(pre + i1, pre + i2, pre + j1)
            else:
                change("".join(a[pre + i1:pre + i2]), "".join(b[pre + j1:pre + j2]))
    equal_run(len(a) - suf, len(a), len(b) - suf)
    merged: list[tuple[str, str]] = []
    for op, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def _ops_ratio(ops: list[tuple[str, str]]) -> float:
    same = sum(len(t) for op, t in ops if op == "equal")
    total = sum(len(t) for _op, t in ops) + same
    return (2 * same / total) if total else 1.0


# ---------------------------------------------------------------------------- summary

_KIND_NAMES = {"Abs.": ("Absatz", "Absätze"), "Nr.": ("Nummer", "Nummern"), "Buchst.": ("Buchstabe", "Buchstaben"),
               "Doppelbuchst.": ("Doppelbuchstabe", "Doppelbuchstaben"),
               "Dreifachbuchst.": ("Dreifachbuchstabe", "Dreifachbuchstaben"), "Satz": ("Satz", "Sätze"),
               "Text": ("Text", "Texte"), "Satzteil": ("Satzteil", "Satzteile")}
_PATH_PART = re.compile(r"(Abs\.|Nr\.|Buchst\.|Doppelbuchst\.|Dreifachbuchst\.|Text) (\S+)")
_STRONG = ("eingefügt", "angefügt", "aufgehoben")

Path = tuple[tuple[str, str], ...]


def _join(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " und " + labels[-1]


def _clean(label: str) -> str:
    """A label without the parser's tag for repeated labels ("§ 2 (2)" -> "§ 2")."""
    return _DUPLICATE.sub("", label)


def _path(label: str) -> Path:
    """("Abs.", "7"), ("Nr.", "5") of "Abs. 7 Nr. 5"; text parts name their parent."""
    parts = tuple((k, v) for k, v in _PATH_PART.findall(_clean(label)) if k != "Text")
    return parts


def _fmt(path: Path, plural: bool = False) -> str:
    return " ".join(f"{v} Satzteil" if k == "Satzteil" else f"{_KIND_NAMES[k][1 if plural else 0]} {v}"
                    for k, v in path)


def describe(change: UnitChange) -> str:
    """One phrase in drafting style for a changed unit."""
    label = _clean(change.display_label)
    st = change.status
    unit = change.new or change.old
    if st == INSERTED:
        if change.new is not None and change.new.repealed:
            return f"{label} (weggefallen)"
        return f"{label} {'angefügt' if change.appended else 'eingefügt'}"
    if st == REPEALED:
        return f"{_clean(change.old_label)} aufgehoben"
    if st == MOVED:
        return f"{label} verschoben"
    old_label, new_label = _clean(change.old_label), _clean(change.label)
    if st == RENUMBERED:
        return f"bisheriger {old_label} wird {new_label}"
    if st == UNCHANGED:
        return f"{label} unverändert"
    if unit is not None and unit.kind == "titel":
        return "Titel geändert"
    if change.rewritten:
        inner = f"{new_label} neu gefasst"
    else:
        inner = _render(new_label, _events(change), change.title_changed)
    if st == RENUMBERED_MODIFIED:
        for verb in ("geändert", "neu gefasst"):
            if inner == f"{new_label} {verb}":
                return f"bisheriger {old_label} wird {new_label} und {verb}"
        return f"bisheriger {old_label} wird {new_label}, {inner}"
    return inner


def _events(change: UnitChange) -> list[tuple]:
    """(verb, path) for each changed sub-unit; ("wird", old path, new path) for renumberings."""
    events: list[tuple] = []
    first_struct = next((k for k, seg in enumerate(change.segments) if _path(seg.label or seg.old_label)), None)
    for index, seg in enumerate(change.segments):
        st = seg.status
        if st == UNCHANGED:
            continue
        new_path, old_path = _path(seg.label), _path(seg.old_label)
        if first_struct is not None and not (new_path or old_path):
            # text of the unit itself beside its Absätze/Nummern: the drafting term
            part = (("Satzteil", "einleitender" if index < first_struct else "abschließender"),)
            new_path = part if seg.label else ()
            old_path = part if seg.old_label else ()
        own_text = " Text " in f" {_clean(seg.label or seg.old_label)}"
        if st in (RENUMBERED, RENUMBERED_MODIFIED) and old_path and new_path \
                and old_path[-1] != new_path[-1] and not own_text:
            events.append(("wird", old_path, new_path))
        if st == RENUMBERED:
            continue
        if st == INSERTED:
            events.append(("angefügt" if seg.appended else "eingefügt", new_path))
        elif st == REPEALED:
            events.append(("aufgehoben", old_path))
        else:
            sentences = _sentence_event(seg) if seg.label == seg.old_label else None
            if _segment_rewritten(seg):
                events.append(("neu gefasst", new_path))
            elif sentences is not None:
                verb, numbers = sentences
                events.append((verb, (*new_path, ("Satz", _join([str(n) for n in numbers])))))
            else:
                events.append(("geändert", new_path))
    return events


def _segment_rewritten(seg: SegmentChange) -> bool:
    """Most of a sub-unit replaced (less than half of its old and of its new words kept)."""
    kept = sum(_word_count(t) for op, t in seg.ops if op == "equal")
    old_words = kept + sum(_word_count(t) for op, t in seg.ops if op == "delete")
    new_words = kept + sum(_word_count(t) for op, t in seg.ops if op == "insert")
    return old_words >= 4 and new_words >= 4 and kept < REWRITE_THRESHOLD * old_words \
        and kept < REWRITE_THRESHOLD * new_words


def _sentence_event(seg: SegmentChange) -> tuple[str, list[int]] | None:
    """("angefügt", [3]) etc. when one or two sentences (Satz) of the sub-unit changed alone."""
    old_s = split_sentences(_MARKER.sub("", seg.old_text, count=1))
    new_s = split_sentences(_MARKER.sub("", seg.new_text, count=1))
    if max(len(old_s), len(new_s)) < 2:
        return None
    ops = [op for op in difflib.SequenceMatcher(None, old_s, new_s, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops or len({op[0] for op in ops}) != 1:
        return None
    tag = ops[0][0]
    if tag == "insert":
        numbers = [j + 1 for _t, _i1, _i2, j1, j2 in ops for j in range(j1, j2)]
        verb = "angefügt" if ops[-1][3] == len(old_s) and ops[-1][4] == len(new_s) else "eingefügt"
    elif tag == "delete":
        numbers = [i + 1 for _t, i1, i2, _j1, _j2 in ops for i in range(i1, i2)]
        verb = "aufgehoben"
    elif all(i2 - i1 == j2 - j1 for _t, i1, i2, j1, j2 in ops):
        numbers = [j + 1 for _t, _i1, _i2, j1, j2 in ops for j in range(j1, j2)]
        verb = "geändert"
    else:
        return None
    return (verb, numbers) if 0 < len(numbers) <= 2 else None


def _render(label: str, events: list[tuple], heading: bool) -> str:
    """"§ 3 Absatz 1 Satz 2 angefügt", "in § 4 Absatz 7 Nummer 5 und 6 geändert, Nummer 7 angefügt"."""
    plain = [e for e in events if e[0] != "wird"]
    renames = [e for e in events if e[0] == "wird"]
    # a sub-unit inserted or repealed as a whole covers its own sub-units
    strong = {e[1]: e[0] for e in plain if e[0] in _STRONG}
    plain = [e for e in plain if not any(e[1][:k] in strong and strong[e[1][:k]] == e[0]
                                         for k in range(len(e[1])))]
    if not plain and not renames:
        return f"{label} Überschrift geändert" if heading else f"{label} geändert"
    paths = [e[1] for e in plain] + [e[2] for e in renames]
    if len(paths) == 1 and not heading:
        if plain:
            verb, path = plain[0]
            return f"{label} {_fmt(path)} {verb}".replace("  ", " ") if path else f"{label} {verb}"
    prefix: Path = paths[0]
    for p in paths[1:]:
        k = 0
        while k < min(len(prefix), len(p)) and prefix[k] == p[k]:
            k += 1
        prefix = prefix[:k]
    while prefix and any(len(p) <= len(prefix) for p in paths):
        prefix = prefix[:-1]
    if heading:
        prefix = ()
    cut = len(prefix)
    items: dict[tuple[str, str] | None, str] = {}
    for verb, path in plain:
        rel = path[cut:]
        key = rel[0] if rel else None
        verb = verb if len(rel) <= 1 else "geändert"
        if key in items and items[key] != verb:
            verb = "geändert"
        items[key] = verb
    groups: dict[tuple[str, str], list[str]] = {}
    for key, verb in items.items():
        kind, number = key if key is not None else ("", "")
        groups.setdefault((kind, verb), []).append(number)
    phrases = []
    for (kind, verb), numbers in groups.items():
        if not kind:
            phrases.append(f"Text {verb}")
        elif kind == "Satzteil":
            phrases.append(f"{_join(numbers)} Satzteil {verb}")
        else:
            phrases.append(f"{_KIND_NAMES[kind][0]} {_join(numbers)} {verb}")
    if heading:
        k = next((k for k, p in enumerate(phrases) if p.endswith(" geändert") and " und " not in p), None)
        if k is None:
            phrases.insert(0, "Überschrift geändert")
        else:
            phrases[k] = f"Überschrift und {phrases[k]}"
    by_parent: dict[tuple, list[tuple[Path, Path]]] = {}
    for _w, old_path, new_path in renames:
        rel_old = old_path[cut:] if old_path[:cut] == prefix else old_path
        rel_new = new_path[cut:]
        by_parent.setdefault((rel_old[:-1], rel_new[:-1], rel_old[-1][0]), []).append((rel_old, rel_new))
    for (old_parent, new_parent, kind), moves in by_parent.items():
        if len(moves) == 1:
            article = "bisherige" if moves[0][0][-1][0] == "Nr." else "bisheriger"
            phrases.append(f"{article} {_fmt(moves[0][0])} wird {_fmt(moves[0][1])}")
        else:
            olds = _join([m[0][-1][1] for m in moves])
            news = _join([m[1][-1][1] for m in moves])
            plural = _KIND_NAMES[kind][1]
            where_old = f" in {_fmt(old_parent)}" if old_parent else ""
            where_new = f" in {_fmt(new_parent)}" if new_parent and new_parent != old_parent else ""
            phrases.append(f"bisherige {plural} {olds}{where_old} werden {plural} {news}{where_new}")
    if phrases == ["Text geändert"] and not prefix:
        return f"{label} geändert"
    head = f"in {label} {_fmt(prefix)}" if prefix else label
    return f"{head} " + ", ".join(phrases)


# ---------------------------------------------------------------------------- departments


def compile_rules(rules: Iterable[tuple[str, str]]) -> list[tuple[str, re.Pattern[str]]]:
    """Keyword rules (term, department) -> one pattern per department (word-start, case-insensitive)."""
    by_dept: dict[str, list[str]] = {}
    for term, dept in rules:
        term = " ".join(str(term).split())
        if term and dept:
            by_dept.setdefault(dept, []).append(re.escape(term))
    return [(dept, re.compile(r"(?<!\w)(?:" + "|".join(sorted(terms, key=len, reverse=True)) + ")", re.IGNORECASE))
            for dept, terms in sorted(by_dept.items())]


def assign_departments(comparison: Comparison, rules: Iterable[tuple[str, str]]) -> Comparison:
    compiled = compile_rules(rules)
    for change in comparison.units:
        if not change.changed:
            change.departments = []
            continue
        text = change.changed_text()
        change.departments = [dept for dept, pattern in compiled if pattern.search(text)]
    return comparison



# ---------------------------------------------------------------------------- whole-unit text and ops
# (helper "cli", issue 12: the JSON contract needs them; the pairing rewrite of helper "cmp" may
# replace these with its own versions – the contract only relies on the names.)


__all__ = [
    "Comparison", "UnitChange", "SegmentChange", "compare", "word_diff", "describe", "assign_departments",
    "UNCHANGED", "MODIFIED", "INSERTED", "REPEALED", "RENUMBERED", "RENUMBERED_MODIFIED", "MOVED", "STATUSES",
    "STATUS_LABELS", "_classify_block", "is_placeholder",
]
