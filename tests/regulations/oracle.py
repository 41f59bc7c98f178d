"""Test oracle for the structure-aware comparison: an independent line diff.

`linediff_labels` finds the top-level units touched by a plain difflib line diff;
`reported_labels` reads the units the comparison reported as changed. The tests check that
both agree (tests/regulations/test_compare.py). Only tests use this, so it is not shipped.
"""

from __future__ import annotations

import difflib
import re

from krisenwissen.regulations.compare import Comparison
from krisenwissen.regulations.legaltext import LegalDocument, normalise_line


def line_units(doc: LegalDocument) -> dict[int, str]:
    """Map of source line number -> label of the top-level unit containing it (TOC excluded)."""
    out: dict[int, str] = {}
    for unit in doc.units:
        for line in unit.lines:
            out[line] = unit.label
    return out


def linediff_labels(old_text: str, new_text: str, old_doc: LegalDocument, new_doc: LegalDocument):
    """Independent check: labels of units containing a line changed by difflib (autojunk=False).

    Lines are compared after white-space normalisation; blank lines and table-of-contents lines
    are ignored. A line the diff keeps but that belongs to a differently labelled unit on the
    two sides (text split off by a new heading) counts for both units.
    Returns (set of labels, {label: first causing diff line}).
    """
    old_map = line_units(old_doc)
    new_map = line_units(new_doc)
    old_lines = [(i, normalise_line(s)) for i, s in enumerate(old_text.split("\n"), start=1)]
    new_lines = [(i, normalise_line(s)) for i, s in enumerate(new_text.split("\n"), start=1)]
    old_lines = [(i, s) for i, s in old_lines if s and i in old_map]
    new_lines = [(i, s) for i, s in new_lines if s and i in new_map]
    sm = difflib.SequenceMatcher(None, [s for _i, s in old_lines], [s for _i, s in new_lines], autojunk=False)
    labels: set[str] = set()
    causes: dict[str, str] = {}
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            # an unchanged line that now belongs to another unit (a heading was inserted or
            # removed above it) changes both units
            for (old_no, s), (new_no, _s) in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True):
                if old_map[old_no] != new_map[new_no]:
                    for label in (old_map[old_no], new_map[new_no]):
                        labels.add(label)
                        causes.setdefault(label, f"={old_no}/{new_no} ({old_map[old_no]} → {new_map[new_no]}): {s[:160]}")
            continue
        for lineno, s in old_lines[i1:i2]:
            label = old_map[lineno]
            labels.add(label)
            causes.setdefault(label, f"-{lineno}: {s[:160]}")
        for lineno, s in new_lines[j1:j2]:
            label = new_map[lineno]
            labels.add(label)
            causes.setdefault(label, f"+{lineno}: {s[:160]}")
    return labels, causes


def reported_labels(comparison: Comparison) -> set[str]:
    out: set[str] = set()
    for u in comparison.changes:
        if u.label:
            out.add(u.label)
        if u.old_label:
            out.add(u.old_label)
    return out


# ---------------------------------------------------------------------------- word level

_ESCAPED = re.compile(r"\\([^\w\s])")
_WORD_OR_MARK = re.compile(r"\w+|[^\w\s]")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b"))


def raw_unit_lines(raw_text: str, unit) -> list[str]:
    """The source lines of a unit as they stand in the file (heading first, then the body)."""
    lines = raw_text.split("\n")
    return [lines[n - 1] for n in sorted(unit.lines)]


def oracle_words(lines: list[str]) -> list[str]:
    """Words and punctuation marks of raw Markdown lines, by a path independent of the parser.

    Markdown heading marks ("# "), pandoc title marks ("% ") and backslash escapes are dropped
    (they are markup, not text); white space separates words and never counts itself.
    """
    out: list[str] = []
    for line in lines:
        line = line.translate(_INVISIBLE).strip()
        if line.startswith("#"):
            line = line.lstrip("#").rstrip("#")
        elif line.startswith("%"):
            line = line.lstrip("%")
        line = _ESCAPED.sub(r"\1", line)
        if line.endswith("\\"):
            line = line[:-1]
        out.extend(_WORD_OR_MARK.findall(line))
    return out


def word_changes(old_words: list[str], new_words: list[str]) -> tuple[list[str], list[str]]:
    """(deleted words, inserted words) in document order, by difflib over whole word lists.

    The common prefix and suffix are cut first (as GNU diff and git do) and the middle is
    diffed with ``SequenceMatcher(autojunk=False)``. (Without the cut, difflib marks the same
    words in every unit of the shared histories, but in 37 of 242 changed units it picks another
    of two equal words, so the order differs; ``untrimmed_word_changes`` is that variant.)
    """
    pre = 0
    while pre < min(len(old_words), len(new_words)) and old_words[pre] == new_words[pre]:
        pre += 1
    suf = 0
    while suf < min(len(old_words), len(new_words)) - pre and old_words[-1 - suf] == new_words[-1 - suf]:
        suf += 1
    a = old_words[pre:len(old_words) - suf]
    b = new_words[pre:len(new_words) - suf]
    deleted: list[str] = []
    inserted: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            deleted.extend(a[i1:i2])
            inserted.extend(b[j1:j2])
    return deleted, inserted


def untrimmed_word_changes(old_words: list[str], new_words: list[str]) -> tuple[list[str], list[str]]:
    """(deleted words, inserted words) by difflib over the whole word lists, without any cut."""
    deleted: list[str] = []
    inserted: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if tag != "equal":
            deleted.extend(old_words[i1:i2])
            inserted.extend(new_words[j1:j2])
    return deleted, inserted


def ops_words(ops: list[tuple[str, str]]) -> tuple[list[str], list[str], list[str], list[str]]:
    """(old words, new words, deleted words, inserted words) spelt by a list of (op, text)."""
    old: list[str] = []
    new: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for op, text in ops:
        words = _WORD_OR_MARK.findall(text)
        if op != "insert":
            old.extend(words)
        if op != "delete":
            new.extend(words)
        if op == "delete":
            deleted.extend(words)
        elif op == "insert":
            inserted.extend(words)
    return old, new, deleted, inserted
