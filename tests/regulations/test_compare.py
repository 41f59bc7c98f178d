"""The structure-aware comparison, checked against an independent line diff."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.regulations.compare import (
    INSERTED,
    MODIFIED,
    MOVED,
    RENUMBERED,
    RENUMBERED_MODIFIED,
    REPEALED,
    UNCHANGED,
    assign_departments,
    compare,
    word_diff,
)
from krisenwissen.regulations.legaltext import decode_bytes, parse

from .oracle import linediff_labels, reported_labels


def doc(text):
    return parse(text)


BASE = """% Testverordnung  (Testverordnung - TestV)

# § 1 – Zweck

(1) Diese Verordnung regelt Versammlungen.

(2) Sie gilt auch für Schulen.

# § 2 – Pflichten

Wer krank ist, muss sich in Quarantäne begeben und das Gesundheitsamt informieren.

# § 3 – Ausnahmen

Ausnahmen erteilt die zuständige Behörde auf Antrag im Einzelfall schriftlich.

# § 4 – Inkrafttreten

Diese Verordnung tritt am Tag nach der Verkündung in Kraft.
"""


def _by_label(result):
    return {u.display_label: u for u in result.units}


def test_identical_versions_have_no_changes():
    result = compare(doc(BASE), doc(BASE))
    assert result.identical
    assert result.summary == "keine Änderungen"
    assert all(u.status == UNCHANGED for u in result.units)


def test_inserted_paragraph_renumbers_the_following_ones():
    new = BASE.replace("# § 3 – Ausnahmen", "# § 3 – Meldungen\n\nMeldungen gehen an das Ordnungsamt.\n\n# § 4 – Ausnahmen")
    new = new.replace("# § 4 – Inkrafttreten", "# § 5 – Inkrafttreten")
    result = compare(doc(BASE), doc(new))
    units = _by_label(result)
    assert units["§ 5"].status == RENUMBERED and units["§ 5"].old_label == "§ 4"
    assert units["§ 4"].status == RENUMBERED and units["§ 4"].old_label == "§ 3"
    assert units["§ 3"].status == INSERTED
    assert units["§ 1"].status == UNCHANGED
    assert "§ 3 eingefügt" in result.summary and "bisheriger § 3 wird § 4" in result.summary


def test_renumbered_and_modified():
    new = BASE.replace("# § 3 – Ausnahmen", "# § 3a – Ausnahmen").replace("im Einzelfall schriftlich", "im Einzelfall")
    result = compare(doc(BASE), doc(new))
    unit = _by_label(result)["§ 3a"]
    assert unit.status == RENUMBERED_MODIFIED and unit.old_label == "§ 3"
    assert result.summary == "bisheriger § 3 wird § 3a und geändert"


def test_moved_unit():
    parts = BASE.split("# ")
    head, p1, p2, p3, p4 = parts
    new = "# ".join([head, p1, p3, p2, p4])
    result = compare(doc(BASE), doc(new))
    statuses = {u.display_label: u.status for u in result.units}
    assert MOVED in statuses.values()
    assert sum(1 for s in statuses.values() if s == MOVED) == 1


def test_modified_absatz_and_word_diff():
    new = BASE.replace("Sie gilt auch für Schulen.", "Sie gilt auch für Schulen, Kitas und Horte.")
    result = compare(doc(BASE), doc(new))
    unit = _by_label(result)["§ 1"]
    assert unit.status == MODIFIED
    assert result.summary == "§ 1 Absatz 2 geändert"
    seg = [s for s in unit.segments if s.status != UNCHANGED][0]
    assert seg.ops == [("equal", "(2) Sie gilt auch für Schulen"), ("insert", ", Kitas und Horte"), ("equal", ".")]


def test_deleted_and_rewritten():
    new = BASE.replace(
        "Wer krank ist, muss sich in Quarantäne begeben und das Gesundheitsamt informieren.",
        "Alle Reisenden melden sich vor der Einreise digital an und tragen eine Maske.",
    )
    new = new.replace("# § 3 – Ausnahmen\n\nAusnahmen erteilt die zuständige Behörde auf Antrag im Einzelfall schriftlich.\n\n", "")
    result = compare(doc(BASE), doc(new))
    units = _by_label(result)
    assert units["§ 2"].rewritten
    assert units["§ 3"].status == REPEALED
    assert result.summary.startswith("§ 2 neu gefasst; § 3 aufgehoben")


def test_departments_from_keyword_rules():
    new = BASE.replace("muss sich in Quarantäne", "muss sich sofort in Quarantäne").replace(
        "Diese Verordnung regelt Versammlungen.", "Diese Verordnung regelt Versammlungen unter freiem Himmel.")
    result = assign_departments(compare(doc(BASE), doc(new)), [
        ("Versammlung", "Ordnungsamt"), ("Quarantäne", "Gesundheitsamt"), ("Absonderung", "Gesundheitsamt"),
        ("Schule", "Schulverwaltung")])
    units = _by_label(result)
    assert units["§ 1"].departments == ["Ordnungsamt"]  # Abs. 2 (Schulen) is unchanged
    assert units["§ 2"].departments == ["Gesundheitsamt"]
    assert units["§ 3"].departments == []
    assert [u.display_label for u in result.for_department("Gesundheitsamt")] == ["§ 2"]


def test_word_diff_keeps_whole_words():
    ops = word_diff("Die Behörde kann Versammlungen verbieten.", "Die Behörde kann Versammlungen beschränken.")
    assert ops == [("equal", "Die Behörde kann Versammlungen "), ("delete", "verbieten"),
                   ("insert", "beschränken"), ("equal", ".")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_word_diff_reconstructs_both_sides(a, b):
    ops = word_diff(a, b)
    assert "".join(t for op, t in ops if op != "insert") == a
    assert "".join(t for op, t in ops if op != "delete") == b


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["# § 1 – A\n", "# § 2 – B\n", "(1) x\n", "(2) y y\n", "1. z\n", "a) w\n", "Text.\n",
                                 "\n", "# Anlage\n", "§ 3 - C\n", "(weggefallen)\n"]), max_size=30),
       st.lists(st.sampled_from(["# § 1 – A\n", "# § 2 – B\n", "(1) x\n", "(2) y\n", "1. z\n", "a) v\n", "Text!\n",
                                 "\n", "# § 1a – D\n", "(weggefallen)\n"]), max_size=30))
def test_compare_never_crashes_and_agrees_with_line_diff(a, b):
    old_text, new_text = "".join(a), "".join(b)
    old, new = parse(old_text), parse(new_text)
    result = compare(old, new)
    _ = result.summary, result.as_dict()
    # a swap can be explained by moving either unit; the line diff picks one, we may pick the other
    # (as can a repeated label: "§ 1" twice in one version)
    duplicates = any(u.label.endswith(")") and " (" in u.label for d in (old, new) for u in d.units)
    if old.structured and new.structured and not duplicates and not any(u.moved for u in result.units):
        labels, causes = linediff_labels(old_text, new_text, old, new)
        assert reported_labels(result) == labels, causes


# ------------------------------------------------------------------ real data


def _pairs(shared_data, law):
    files = sorted((shared_data / "laws" / law).glob("*.md"))  # directly in the folder, no subfolders
    assert len(files) >= 2, f"missing shared data for {law}"
    return list(zip(files, files[1:], strict=False))


def _heading_words(unit) -> float:
    """Share of the shorter heading's words found in the other heading."""
    a, b = set(unit.old.title.lower().split()), set(unit.new.title.lower().split())
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _check_pair(old_path, new_path):
    old_text = decode_bytes(old_path.read_bytes())
    new_text = decode_bytes(new_path.read_bytes())
    old, new = parse(old_text), parse(new_text)
    result = compare(old, new)
    problems = []
    reported = reported_labels(result)
    by_diff, causes = linediff_labels(old_text, new_text, old, new)
    for label in sorted(by_diff - reported):
        problems.append(f"{old_path.stem}->{new_path.stem}: {label} changed by the line diff but reported unchanged; "
                        f"diff line {causes[label]}")
    for label in sorted(reported - by_diff):
        problems.append(f"{old_path.stem}->{new_path.stem}: {label} reported changed but no line of it differs")
    # every reported move or renumbering is explained by matching content
    for unit in result.units:
        if unit.status in (MOVED, RENUMBERED):
            if unit.old.content_key != unit.new.content_key:
                problems.append(f"{unit.old_label} -> {unit.label} reported {unit.status} but content differs")
        # renumbered and changed: similar content, or (a rewrite under a new number) the same subject
        if unit.status == RENUMBERED_MODIFIED and unit.similarity < 0.3 and _heading_words(unit) < 0.5:
            problems.append(f"{unit.old_label} -> {unit.label} renumbered_modified with similarity "
                            f"{unit.similarity:.2f} and another heading ({unit.old.title!r} -> {unit.new.title!r})")
    return problems


@pytest.mark.parametrize("law", ["IfSG", "CoronaEinreiseV", "CoronaImpfV", "CoronaMeldePflErwV"])
def test_correctness_against_line_diff(shared_data, law):
    problems = []
    pairs = _pairs(shared_data, law)
    for old_path, new_path in pairs:
        problems.extend(_check_pair(old_path, new_path))
    assert not problems, "\n".join(problems)


def _compare_files(shared_data, a, b):
    laws = shared_data / "laws"
    return compare(parse(decode_bytes((laws / a).read_bytes())), parse(decode_bytes((laws / b).read_bytes())))


def test_paragraph_28b_rewritten_2022(shared_data):
    result = _compare_files(shared_data, "IfSG/2022-03-22.md", "IfSG/2022-09-28.md")
    assert "§ 28b neu gefasst" in result.summary_items
    unit = _by_label(result)["§ 28b"]
    assert unit.status == MODIFIED and unit.rewritten


def test_bundesnotbremse_inserted(shared_data):
    result = _compare_files(shared_data, "IfSG/early-formats/2021-04-22.md", "IfSG/early-formats/2021-04-23.md")
    assert "§ 28b eingefügt" in result.summary_items
    assert _by_label(result)["§ 28b"].status == INSERTED
    # the table of contents also gained § 28b but is not compared as content
    assert all(u.display_label != "Inhaltsübersicht" for u in result.units)


def test_identical_neighbours(shared_data):
    result = _compare_files(shared_data, "IfSG/2026-03-11.md", "IfSG/2026-05-04.md")
    assert result.summary == "keine Änderungen"


def test_changed_sentence_is_named():
    old = "# § 36 – Test\n\n(3) Erster Satz bleibt. Zweiter Satz wird geändert. Dritter Satz bleibt.\n"
    new = old.replace("wird geändert", "ist nun anders")
    assert compare(doc(old), doc(new)).summary == "§ 36 Absatz 3 Satz 2 geändert"
