"""Test oracle for the structure-aware comparison: an independent line diff.

`linediff_labels` finds the top-level units touched by a plain difflib line diff;
`reported_labels` reads the units the comparison reported as changed. The tests check that
both agree (tests/regulations/test_compare.py). Only tests use this, so it is not shipped.
"""

from __future__ import annotations

import difflib

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
