"""Word-level precision of the comparison, checked against an independent word diff.

For every consecutive pair of every history in ../shared/data/laws/<Law>/*.md, each unit's
``ops()`` must spell its whole old and new text exactly, the words must be those of the raw
file (read by an independent path in ``oracle.py``), and the words marked deleted/inserted
must be exactly those a difflib word diff of the two texts changes.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.regulations import compare as cmp
from krisenwissen.regulations.compare import compare, word_diff
from krisenwissen.regulations.legaltext import decode_bytes, parse

from .oracle import ops_words, oracle_words, raw_unit_lines, untrimmed_word_changes, word_changes

LAWS = ["IfSG", "CoronaEinreiseV", "CoronaImpfV", "CoronaMeldePflErwV"]


def _pairs(shared_data, law):
    files = sorted((shared_data / "laws" / law).glob("*.md"))
    assert len(files) >= 2, f"missing shared data for {law}"
    return list(zip(files, files[1:], strict=False))


def test_every_history_is_covered(shared_data):
    """Every law folder with a history (two or more versions directly in it) is in LAWS."""
    histories = {d.name for d in (shared_data / "laws").iterdir() if d.is_dir() and len(list(d.glob("*.md"))) >= 2}
    assert histories == set(LAWS)


def check_ops(change, old_raw: str | None, new_raw: str | None) -> list[str]:
    """Problems of one unit change: reconstruction, raw words, changed words."""
    where = change.display_label
    problems = []
    ops = change.ops()
    if "".join(t for op, t in ops if op != "insert") != change.old_text:
        problems.append(f"{where}: equal+delete does not spell the old text")
    if "".join(t for op, t in ops if op != "delete") != change.new_text:
        problems.append(f"{where}: equal+insert does not spell the new text")
    if any(op not in ("equal", "delete", "insert") or not t for op, t in ops):
        problems.append(f"{where}: bad op in {ops[:3]}")
    old_w, new_w, deleted, inserted = ops_words(ops)
    raw_old = oracle_words(raw_unit_lines(old_raw, change.old)) if change.old is not None else []
    raw_new = oracle_words(raw_unit_lines(new_raw, change.new)) if change.new is not None else []
    if old_w != raw_old:
        problems.append(f"{where}: old words differ from the file")
    if new_w != raw_new:
        problems.append(f"{where}: new words differ from the file")
    exp_del, exp_ins = word_changes(raw_old, raw_new)
    if deleted != exp_del or inserted != exp_ins:
        extra = len(deleted) + len(inserted) - len(exp_del) - len(exp_ins)
        problems.append(f"{where} ({change.status}): marked words differ from the word diff "
                        f"({len(deleted)}/{len(inserted)} vs {len(exp_del)}/{len(exp_ins)}, {extra:+d})")
    # the same words (as multisets) as a plain difflib diff of the whole word lists, too
    plain_del, plain_ins = untrimmed_word_changes(raw_old, raw_new)
    if Counter(deleted) != Counter(plain_del) or Counter(inserted) != Counter(plain_ins):
        problems.append(f"{where} ({change.status}): marked words differ from the untrimmed word diff")
    if change.status == cmp.UNCHANGED and (deleted or inserted):
        problems.append(f"{where}: unchanged but with changed words")
    # sub-units: the same exactness for each paired Absatz, Nummer, Buchstabe
    for seg in change.segments:
        s_old, s_new, s_del, s_ins = ops_words(seg.ops)
        if s_old != oracle_words([seg.old_text]) or s_new != oracle_words([seg.new_text]):
            problems.append(f"{where} {seg.display_label}: segment ops do not spell its texts")
        if (s_del, s_ins) != word_changes(oracle_words([seg.old_text]), oracle_words([seg.new_text])):
            problems.append(f"{where} {seg.display_label}: segment words differ from the word diff")
    return problems


@pytest.mark.parametrize("law", LAWS)
def test_ops_spell_both_texts_and_match_the_word_diff(shared_data, law):
    problems = []
    for old_path, new_path in _pairs(shared_data, law):
        old_raw = decode_bytes(old_path.read_bytes())
        new_raw = decode_bytes(new_path.read_bytes())
        result = compare(parse(old_raw), parse(new_raw))
        for change in result.units:
            problems.extend(f"{old_path.stem}->{new_path.stem}: {p}" for p in check_ops(change, old_raw, new_raw))
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


def test_whitespace_and_markdown_escapes_are_no_change():
    old = "# § 1 – Test\n\n(1) Ein  Text mit 3\\. Stern \\* und   Punkt.\n"
    new = "# § 1 – Test\n\n(1) Ein Text mit 3. Stern * und Punkt.\n"
    result = compare(parse(old), parse(new))
    assert result.identical


def test_punctuation_counts_as_a_change():
    ops = word_diff("Die Behörde kann Versammlungen verbieten.", "Die Behörde kann Versammlungen verbieten;")
    assert ops == [("equal", "Die Behörde kann Versammlungen verbieten"), ("delete", "."), ("insert", ";")]


def test_no_unchanged_word_is_marked_between_two_changes():
    ops = word_diff("Hunde und Katzen sind erlaubt.", "Pferde und Kühe sind erlaubt.")
    assert ops == [("delete", "Hunde"), ("insert", "Pferde"), ("equal", " und "), ("delete", "Katzen"),
                   ("insert", "Kühe"), ("equal", " sind erlaubt.")]


def test_inserted_and_repealed_units_carry_their_whole_text():
    old = "# § 1 – A\n\nErster Text.\n\n# § 2 – B\n\nZweiter Text.\n"
    new = "# § 1 – A\n\nErster Text.\n\n# § 3 – C\n\nGanz neuer Inhalt hier.\n"
    result = compare(parse(old), parse(new))
    inserted = next(u for u in result.units if u.status == cmp.INSERTED)
    repealed = next(u for u in result.units if u.status == cmp.REPEALED)
    assert inserted.ops() == [("insert", "§ 3 – C\nGanz neuer Inhalt hier.")]
    assert repealed.ops() == [("delete", "§ 2 – B\nZweiter Text.")]
    assert inserted.old_text == "" and repealed.new_text == ""


def test_renumbered_unit_shows_only_the_number_as_changed():
    old = "# § 1 – A\n\nErster Text.\n\n# § 2 – B\n\nZweiter Text bleibt gleich.\n"
    new = "# § 1 – A\n\nErster Text.\n\n# § 3 – B\n\nZweiter Text bleibt gleich.\n"
    unit = next(u for u in compare(parse(old), parse(new)).units if u.status == cmp.RENUMBERED)
    assert unit.ops() == [("equal", "§ "), ("delete", "2"), ("insert", "3"),
                          ("equal", " – B\nZweiter Text bleibt gleich.")]


_WORDS = ["Die", "Behörde", "kann", "Absatz", "1", "Satz", "2", "gilt", ",", ".", ";", "und", "oder",
          "Quarantäne", "(2)", "3.", "a)", "§ 5", "\\*", "  ", "\n"]


@st.composite
def edited_text(draw):
    """A real-looking text and a random edit of it (words replaced, inserted, deleted, moved)."""
    base = draw(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=40))
    lines = ["# § 1 – Zweck", "", "(1) " + " ".join(base), "", "# § 2 – Pflichten", "", "1. Text " + " ".join(base[:5])]
    new = list(lines)
    for _ in range(draw(st.integers(0, 4))):
        k = draw(st.integers(0, len(new) - 1))
        how = draw(st.sampled_from(["replace", "insert", "delete", "heading", "swap"]))
        words = new[k].split(" ")
        if how == "replace" and words:
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(_WORDS))
        elif how == "insert":
            words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(_WORDS)))
        elif how == "delete" and words:
            words.pop(draw(st.integers(0, len(words) - 1)))
        elif how == "heading":
            new.insert(k, f"# § {draw(st.integers(1, 9))} – {draw(st.sampled_from(_WORDS))}")
            continue
        elif how == "swap" and len(new) > 2:
            j = draw(st.integers(0, len(new) - 1))
            new[k], new[j] = new[j], new[k]
            continue
        new[k] = " ".join(words)
    return "\n".join(lines) + "\n", "\n".join(new) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_text())
def test_compare_never_crashes_and_ops_hold_on_random_edits(pair):
    old_raw, new_raw = pair
    result = compare(parse(old_raw), parse(new_raw))
    _ = result.summary, result.as_dict(), result.reissue
    for change in result.units:
        ops = change.ops()
        assert "".join(t for op, t in ops if op != "insert") == change.old_text
        assert "".join(t for op, t in ops if op != "delete") == change.new_text
        for seg in change.segments:
            assert "".join(t for op, t in seg.ops if op != "insert") == seg.old_text
            assert "".join(t for op, t in seg.ops if op != "delete") == seg.new_text
        _ = cmp.describe(change)
