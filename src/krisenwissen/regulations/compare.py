"""Structure-aware comparison of two versions of a legal text (pure: no Django imports).

1. Top-level units (§, Artikel, Anlage, Eingangsformel, title block) are aligned by label and by
   content: equal hashes are unchanged without any further work; equal content under a new
   label is a renumbering; similar content under a new label is renumbered+modified; order
   changes (outside the longest common order) are moves.
2. Only units whose hash differs are compared further: their sub-units (Absatz, Nummer,
   Buchstabe, Doppelbuchstabe, text) are aligned by content without their markers, so an
   inserted Nummer 3 does not mark every following Nummer as changed.
3. Inside modified sub-units a word-level diff (whole words, punctuation kept as tokens).
4. A plain-language German summary ("§ 28b neu gefasst; § 28c eingefügt; § 36 Abs. 3 geändert").
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
DELETED = "deleted"
MOVED = "moved"
RENUMBERED = "renumbered"
RENUMBERED_MODIFIED = "renumbered+modified"

STATUS_LABELS = {
    UNCHANGED: "unverändert",
    MODIFIED: "geändert",
    INSERTED: "eingefügt",
    DELETED: "aufgehoben",
    MOVED: "verschoben",
    RENUMBERED: "umnummeriert",
    RENUMBERED_MODIFIED: "umnummeriert und geändert",
}

REWRITE_THRESHOLD = 0.5  # below this similarity a modified unit counts as "neu gefasst"
SIMILAR_THRESHOLD = 0.6  # word-set similarity for renumbered+modified
MAX_TOKEN_PRODUCT = 4_000_000  # word diffs larger than this are shown as whole replacement

_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
_MARKER = re.compile(r"^(?:\(\d+[a-z]?\)|(?:-\s+)?\d+[a-z]?\.(?:\s*::)?|[a-z]{1,3}\))\s*")
_WORD = re.compile(r"\w+")


@dataclass
class Segment:
    """A flattened sub-unit: its path label ("Abs. 3 Nr. 2") and its own text."""

    label: str
    top: str  # the Absatz part of the label ("Abs. 3") or "" for unit-level text
    text: str
    key: str  # text without the structural marker: equal keys mean equal content
    line: int


@dataclass
class SegmentChange:
    status: str
    label: str
    old_label: str
    old_text: str
    new_text: str
    ops: list[tuple[str, str]] = field(default_factory=list)  # ("equal"|"delete"|"insert", text)
    ratio: float = 0.0

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
    status: str
    label: str  # label in the new version ("" if deleted -> old label is used for display)
    old_label: str  # label in the old version ("" if inserted)
    old: Unit | None
    new: Unit | None
    similarity: float = 1.0
    moved: bool = False
    title_changed: bool = False
    segments: list[SegmentChange] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    title_ops: list[tuple[str, str]] = field(default_factory=list)

    @property
    def display_label(self) -> str:
        return self.label or self.old_label

    @property
    def rewritten(self) -> bool:
        return self.status in (MODIFIED, RENUMBERED_MODIFIED) and self.similarity < REWRITE_THRESHOLD

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
        if self.status in (INSERTED, DELETED, MOVED, RENUMBERED) or not self.segments:
            unit = self.new or self.old
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

    @property
    def changes(self) -> list[UnitChange]:
        return [u for u in self.units if u.changed]

    @property
    def identical(self) -> bool:
        return not self.changes

    @property
    def summary_items(self) -> list[str]:
        return [describe(u) for u in self.changes]

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


# ---------------------------------------------------------------------------- top level


def compare(old: LegalDocument, new: LegalDocument) -> Comparison:
    """Compare two parsed versions."""
    notices = list(dict.fromkeys([*old.notices, *new.notices]))
    if not (old.structured and new.structured):
        return Comparison(old, new, _compare_sequence(old.units, new.units), notices)

    olds, news = old.units, new.units
    old_keys = [u.content_key for u in olds]
    new_keys = [u.content_key for u in news]
    new_by_label = {u.label: i for i, u in enumerate(news)}
    pairs: dict[int, int] = {}  # old index -> new index
    status: dict[int, str] = {}  # new index -> status

    # A: same label, same content
    for oi, u in enumerate(olds):
        ni = new_by_label.get(u.label)
        if ni is not None and old_keys[oi] == new_keys[ni]:
            pairs[oi] = ni
            status[ni] = UNCHANGED
    matched_new = set(pairs.values())

    # B: same content (unique on both sides), new label -> renumbered
    rest_old = [oi for oi in range(len(olds)) if oi not in pairs]
    rest_new = [ni for ni in range(len(news)) if ni not in matched_new]
    if rest_old and rest_new:
        by_key_old: dict[str, list[int]] = {}
        for oi in rest_old:
            if not olds[oi].repealed and olds[oi].blocks:
                by_key_old.setdefault(old_keys[oi], []).append(oi)
        by_key_new: dict[str, list[int]] = {}
        for ni in rest_new:
            if not news[ni].repealed and news[ni].blocks:
                by_key_new.setdefault(new_keys[ni], []).append(ni)
        for key, ois in by_key_old.items():
            nis = by_key_new.get(key)
            if nis and len(ois) == 1 and len(nis) == 1:
                pairs[ois[0]] = nis[0]
                status[nis[0]] = UNCHANGED if olds[ois[0]].label == news[nis[0]].label else RENUMBERED
        matched_new = set(pairs.values())

    # C: same label, different content -> modified
    for oi, u in enumerate(olds):
        if oi in pairs:
            continue
        ni = new_by_label.get(u.label)
        if ni is not None and ni not in matched_new:
            pairs[oi] = ni
            status[ni] = MODIFIED
            matched_new.add(ni)

    # D: similar content under a new label -> renumbered+modified
    rest_old = [oi for oi in range(len(olds)) if oi not in pairs and not olds[oi].repealed and olds[oi].blocks]
    rest_new = [ni for ni in range(len(news)) if ni not in matched_new and not news[ni].repealed and news[ni].blocks]
    if rest_old and rest_new and len(rest_old) * len(rest_new) <= 10_000:
        old_sets = {oi: _wordset(olds[oi]) for oi in rest_old}
        new_sets = {ni: _wordset(news[ni]) for ni in rest_new}
        candidates = []
        for oi in rest_old:
            for ni in rest_new:
                a, b = old_sets[oi], new_sets[ni]
                if a and b:
                    sim = len(a & b) / len(a | b)
                    if sim >= SIMILAR_THRESHOLD:
                        candidates.append((sim, oi, ni))
        for _sim, oi, ni in sorted(candidates, reverse=True):
            if oi in pairs or ni in matched_new:
                continue
            pairs[oi] = ni
            status[ni] = RENUMBERED_MODIFIED
            matched_new.add(ni)

    # moves: matched pairs outside the longest increasing run of new positions
    ordered = sorted(pairs.items())
    keep = _lis_indices([ni for _oi, ni in ordered])
    moved_new = {ordered[k][1] for k in range(len(ordered)) if k not in keep}

    old_of_new = {ni: oi for oi, ni in pairs.items()}
    result: list[UnitChange] = []
    emitted_old: set[int] = set()
    next_old = 0

    def emit_deleted_until(limit: int) -> None:
        nonlocal next_old
        while next_old < limit:
            if next_old not in pairs and next_old not in emitted_old:
                u = olds[next_old]
                result.append(UnitChange(DELETED, "", u.label, u, None, similarity=0.0))
                emitted_old.add(next_old)
            next_old += 1

    for ni, nu in enumerate(news):
        oi = old_of_new.get(ni)
        if oi is None:
            result.append(UnitChange(INSERTED, nu.label, "", None, nu, similarity=0.0))
            continue
        if ni not in moved_new:
            emit_deleted_until(oi)
        ou = olds[oi]
        st = status[ni]
        change = UnitChange(st, nu.label, ou.label, ou, nu, moved=ni in moved_new)
        if st in (MODIFIED, RENUMBERED_MODIFIED):
            _fill_modified(change)
        if change.status == UNCHANGED and change.moved:
            change.status = MOVED
        result.append(change)
    emit_deleted_until(len(olds))
    return Comparison(old, new, result, notices)


def _wordset(unit: Unit) -> set[str]:
    return set(_WORD.findall(unit.body_text.lower()))


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
            out.append(UnitChange(DELETED, "", olds[oi].label, olds[oi], None, similarity=0.0))
        for ni in range(j1 + k, j2):
            out.append(UnitChange(INSERTED, news[ni].label, "", None, news[ni], similarity=0.0))
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
        out.append(Segment(label, _top(label), block.text, key, block.line))
    return out


_TOP = re.compile(r"^((?:Abs\.|Nr\.|Buchst\.|Doppelbuchst\.|Dreifachbuchst\.) \S+)")


def _top(label: str) -> str:
    """The first level of a segment label ("Abs. 3" of "Abs. 3 Nr. 2"); "" for unit-level text."""
    m = _TOP.match(label)
    return m.group(1) if m else ""


def _fill_modified(change: UnitChange) -> None:
    ou, nu = change.old, change.new
    assert ou is not None and nu is not None
    change.title_changed = ou.title != nu.title
    if change.title_changed:
        change.title_ops = word_diff(ou.title, nu.title)
    a = segments(ou.blocks)
    b = segments(nu.blocks)
    seg_changes: list[SegmentChange] = []
    sm = difflib.SequenceMatcher(None, [s.key for s in a], [s.key for s in b], autojunk=False)
    weight_total = 0
    weight_same = 0.0
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for sa, sb in zip(a[i1:i2], b[j1:j2], strict=True):
                st = UNCHANGED if sa.label == sb.label else RENUMBERED
                seg_changes.append(SegmentChange(st, sb.label, sa.label, sa.text, sb.text,
                                                 [("equal", sb.text)], 1.0))
                w = len(sa.text) + len(sb.text)
                weight_total += w
                weight_same += w
            continue
        olds_, news_ = a[i1:i2], b[j1:j2]
        for sa, sb in _pair_segments(olds_, news_):
            if sa is not None and sb is not None:
                ops = word_diff(sa.text, sb.text)
                ratio = _ops_ratio(ops)
                seg_changes.append(SegmentChange(MODIFIED, sb.label, sa.label, sa.text, sb.text, ops, ratio))
                w = len(sa.text) + len(sb.text)
                weight_total += w
                weight_same += w * ratio
            elif sa is not None:
                seg_changes.append(SegmentChange(DELETED, "", sa.label, sa.text, "", [("delete", sa.text)], 0.0))
                weight_total += len(sa.text)
            elif sb is not None:
                seg_changes.append(SegmentChange(INSERTED, sb.label, "", "", sb.text, [("insert", sb.text)], 0.0))
                weight_total += len(sb.text)
    change.segments = seg_changes
    change.similarity = (weight_same / weight_total) if weight_total else (0.0 if change.title_changed else 1.0)
    if ou.title and nu.title and change.title_changed and weight_total == 0:
        change.similarity = _ops_ratio(change.title_ops)


def _pair_segments(olds: list[Segment], news: list[Segment]):
    """Pair the segments of a replaced run: by equal label first, then by position if similar."""
    by_label = {s.label: s for s in news}
    used: set[int] = set()
    pairs: dict[int, Segment] = {}
    for i, sa in enumerate(olds):
        sb = by_label.get(sa.label)
        if sb is not None and id(sb) not in used:
            pairs[i] = sb
            used.add(id(sb))
    rest_new = [s for s in news if id(s) not in used]
    for i, sa in enumerate(olds):
        if i in pairs or not rest_new:
            continue
        wa = set(_WORD.findall(sa.key.lower()))
        best, best_sim = None, 0.0
        for sb in rest_new[:20]:
            wb = set(_WORD.findall(sb.key.lower()))
            sim = len(wa & wb) / len(wa | wb) if (wa | wb) else 1.0
            if sim > best_sim:
                best, best_sim = sb, sim
        if best is not None and best_sim >= 0.4:
            pairs[i] = best
            used.add(id(best))
            rest_new = [s for s in rest_new if s is not best]
    # emit in new order, deleted old segments before the next paired one
    out: list[tuple[Segment | None, Segment | None]] = []
    old_for_new = {id(sb): i for i, sb in pairs.items()}
    emitted: set[int] = set()
    for sb in news:
        i = old_for_new.get(id(sb))
        if i is not None:
            for k in range(i):
                if k not in pairs and k not in emitted:
                    out.append((olds[k], None))
                    emitted.add(k)
            out.append((olds[i], sb))
            emitted.add(i)
        else:
            out.append((None, sb))
    for k in range(len(olds)):
        if k not in emitted:
            out.append((olds[k], None))
    return out


# ---------------------------------------------------------------------------- word diff


def tokenize(text: str) -> list[str]:
    """Words and single punctuation marks with their following white space (they join back to the text)."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff: list of (op, text) with op in equal/delete/insert; whole words only."""
    a, b = tokenize(old), tokenize(new)
    # common prefix and suffix first: most edits touch a few words of a long paragraph
    pre = 0
    limit = min(len(a), len(b))
    while pre < limit and a[pre] == b[pre]:
        pre += 1
    suf = 0
    while suf < limit - pre and a[-1 - suf] == b[-1 - suf]:
        suf += 1
    mid_a, mid_b = a[pre:len(a) - suf], b[pre:len(b) - suf]
    raw: list[tuple[str, str, str]] = []  # (tag, old text, new text)
    if pre:
        raw.append(("equal", "".join(a[:pre]), "".join(a[:pre])))
    if len(mid_a) * len(mid_b) > MAX_TOKEN_PRODUCT:
        raw.append(("replace", "".join(mid_a), "".join(mid_b)))
    elif mid_a or mid_b:
        # autojunk: very frequent tokens ("der", ",") do not seed matches but still join them
        sm = difflib.SequenceMatcher(None, mid_a, mid_b)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            raw.append((tag, "".join(mid_a[i1:i2]), "".join(mid_b[j1:j2])))
    if suf:
        raw.append(("equal", "".join(a[len(a) - suf:]), "".join(a[len(a) - suf:])))
    # absorb tiny equal runs (white space, a single short word) between two changes
    merged: list[list[str]] = []  # [old_part, new_part, kind] kind: "equal" or "change"
    for idx, (tag, ta, tb) in enumerate(raw):
        tiny = tag == "equal" and (not ta.strip() or (len(ta.strip()) <= 3 and " " not in ta.strip()))
        between = 0 < idx < len(raw) - 1 and raw[idx - 1][0] != "equal" and raw[idx + 1][0] != "equal"
        kind = "change" if (tag != "equal" or (tiny and between)) else "equal"
        if merged and merged[-1][2] == kind == "change":
            merged[-1][0] += ta
            merged[-1][1] += tb
        else:
            merged.append([ta, tb if tag != "equal" else ta, kind])
    ops: list[tuple[str, str]] = []
    for ta, tb, kind in merged:
        if kind == "equal":
            if ops and ops[-1][0] == "equal":
                ops[-1] = ("equal", ops[-1][1] + ta)
            else:
                ops.append(("equal", ta))
            continue
        # white space both sides end with is not part of the change
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
    merged_ops: list[tuple[str, str]] = []
    for op, text in ops:
        if merged_ops and merged_ops[-1][0] == op == "equal":
            merged_ops[-1] = ("equal", merged_ops[-1][1] + text)
        else:
            merged_ops.append((op, text))
    return merged_ops


def _ops_ratio(ops: list[tuple[str, str]]) -> float:
    same = sum(len(t) for op, t in ops if op == "equal")
    total = sum(len(t) for _op, t in ops) + same
    return (2 * same / total) if total else 1.0


# ---------------------------------------------------------------------------- summary


def _join(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " und " + labels[-1]


def describe(change: UnitChange) -> str:
    """One plain-language phrase for a changed unit."""
    label = change.display_label
    st = change.status
    new_repealed = change.new is not None and change.new.repealed
    old_repealed = change.old is not None and change.old.repealed
    if st == INSERTED:
        return f"{label} aufgehoben (weggefallen)" if new_repealed else f"{label} eingefügt"
    if st == DELETED:
        return f"{label} gestrichen"
    if st == MOVED:
        return f"{label} verschoben"
    if st == RENUMBERED:
        return f"{change.old_label} wird {change.label}"
    if new_repealed and not old_repealed:
        return f"{label} aufgehoben (weggefallen)"
    if old_repealed and not new_repealed:
        return f"{label} eingefügt"
    prefix = f"{change.old_label} wird {change.label} und" if st == RENUMBERED_MODIFIED else label
    if change.rewritten:
        return f"{prefix} neu gefasst"
    parts = _segment_phrases(change)
    if change.title_changed:
        parts.insert(0, "Überschrift geändert")
    if not parts:
        return f"{prefix} geändert"
    if st == RENUMBERED_MODIFIED:
        return f"{prefix} " + ", ".join(parts)
    return f"{label} " + ", ".join(parts)


def _segment_phrases(change: UnitChange) -> list[str]:
    by_status: dict[str, list[str]] = {MODIFIED: [], INSERTED: [], DELETED: [], RENUMBERED: []}
    whole_unit = False
    for seg in change.segments:
        if seg.status == UNCHANGED:
            continue
        top = seg.top
        if not top:
            whole_unit = True
            continue
        st = seg.status
        # a changed Nummer inside an Absatz changes that Absatz
        full = seg.label or seg.old_label
        if full != top and st in (INSERTED, DELETED, RENUMBERED):
            st = MODIFIED
        if st == RENUMBERED:
            st = MODIFIED
        bucket = by_status[st]
        if top not in bucket and not any(top in b for b in by_status.values() if b is not bucket):
            bucket.append(top)
    # one changed Absatz of several sentences: name the sentences ("Abs. 3 Satz 2")
    changed_by_top: dict[str, list[SegmentChange]] = {}
    for seg in change.segments:
        if seg.status != UNCHANGED and seg.top:
            changed_by_top.setdefault(seg.top, []).append(seg)
    modified = by_status[MODIFIED]
    for index, top in enumerate(modified):
        segs = changed_by_top.get(top, [])
        if len(segs) == 1 and segs[0].status == MODIFIED and segs[0].label == top == segs[0].old_label:
            numbers = changed_sentences(segs[0].old_text, segs[0].new_text)
            if numbers:
                modified[index] = f"{top} Satz {_join([str(n) for n in numbers])}"
    phrases = []
    verbs = {MODIFIED: "geändert", INSERTED: "eingefügt", DELETED: "gestrichen"}
    for st in (MODIFIED, INSERTED, DELETED):
        groups: dict[str, list[str]] = {}
        for t in by_status[st]:
            kind, _sep, number = t.partition(" ")
            groups.setdefault(kind, []).append(number)
        for kind, numbers in groups.items():
            if any(" " in n for n in numbers):  # "Abs. 6 Satz 1 und Abs. 7", never "Abs. 6 Satz 1 und 7"
                phrases.append(f"{_join([f'{kind} {n}' for n in numbers])} {verbs[st]}")
            else:
                phrases.append(f"{kind} {_join(numbers)} {verbs[st]}")
    if whole_unit and not phrases:
        unit_level = [seg for seg in change.segments if seg.status != UNCHANGED]
        if len(unit_level) == 1 and unit_level[0].status == MODIFIED and unit_level[0].label == unit_level[0].old_label:
            numbers = changed_sentences(unit_level[0].old_text, unit_level[0].new_text)
            if numbers:
                return [f"Satz {_join([str(n) for n in numbers])} geändert"]
        return ["geändert"]
    if whole_unit:
        phrases.insert(0, "Text geändert")
    return phrases


def changed_sentences(old: str, new: str) -> list[int]:
    """Numbers of the sentences (Satz) of ``new`` that are not in ``old``; [] if that says nothing useful."""
    old_sentences = split_sentences(_MARKER.sub("", old, count=1))
    new_sentences = split_sentences(_MARKER.sub("", new, count=1))
    if len(new_sentences) < 2 or len(old_sentences) != len(new_sentences):
        return []  # sentences inserted or removed: the Absatz as a whole is the better reference
    numbers = [i for i, (a, b) in enumerate(zip(old_sentences, new_sentences, strict=True), start=1) if a != b]
    return numbers if 0 < len(numbers) <= 2 else []


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


def _unit_old_text(self: UnitChange) -> str:
    """The unit's whole old body text (its blocks joined by newlines); "" when inserted."""
    return self.old.body_text if self.old is not None else ""


def _unit_new_text(self: UnitChange) -> str:
    """The unit's whole new body text; "" when repealed (deleted)."""
    return self.new.body_text if self.new is not None else ""


def _unit_ops(self: UnitChange) -> list[tuple[str, str]]:
    """Word-level ops over the whole unit: equal+delete spell ``old_text``, equal+insert ``new_text``."""
    old, new = self.old_text, self.new_text
    if old == new:
        return [("equal", old)] if old else []
    if not old:
        return [("insert", new)]
    if not new:
        return [("delete", old)]
    return word_diff(old, new)


def _comparison_reissue(self: Comparison) -> bool:
    """A re-issue (Neufassung/Ablösung): no top-level unit besides the title block survives unchanged
    under its label, although both versions have at least two such units."""
    olds = [u for u in self.old.units if u.label != "Titel"]
    news = [u for u in self.new.units if u.label != "Titel"]
    if len(olds) < 2 or len(news) < 2 or not (self.old.structured and self.new.structured):
        return False
    return not any(u.status == UNCHANGED and u.label != "Titel" for u in self.units)


if not hasattr(UnitChange, "ops"):
    UnitChange.old_text = property(_unit_old_text)  # type: ignore[attr-defined]
    UnitChange.new_text = property(_unit_new_text)  # type: ignore[attr-defined]
    UnitChange.ops = _unit_ops  # type: ignore[attr-defined]
if not hasattr(Comparison, "reissue"):
    Comparison.reissue = property(_comparison_reissue)  # type: ignore[attr-defined]

__all__ = [
    "Comparison", "UnitChange", "SegmentChange", "compare", "word_diff", "describe", "assign_departments",
    "STATUS_LABELS", "_classify_block", "is_placeholder",
]
