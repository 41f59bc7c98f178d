"""Pairing of units as an assignment problem: renumbering, edits while renumbering, re-issues.

The cases are built from a real version of ../shared/data/laws/CoronaEinreiseV and checked
against the intent of the synthetic edit (which units moved where).
"""

from __future__ import annotations

import re

import pytest

from krisenwissen.regulations import compare as cmp
from krisenwissen.regulations.compare import compare
from krisenwissen.regulations.legaltext import decode_bytes, parse

BASE_FILE = "CoronaEinreiseV/2022-03-04.md"
_HEAD = re.compile(r"^# § (\d+) – ", re.MULTILINE)


def _base(shared_data) -> str:
    return decode_bytes((shared_data / "laws" / BASE_FILE).read_bytes())


def _split(text: str) -> tuple[str, list[tuple[int, str]], str]:
    """(text before § 1, [(number, text of the §)], text from the Anlage on)."""
    heads = list(_HEAD.finditer(text))
    head = text[:heads[0].start()]
    tail_at = text.index("# Anlage")
    paras = []
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else tail_at
        paras.append((int(m.group(1)), text[m.start():end]))
    return head, paras, text[tail_at:]


def _renumber(para: str, number: int) -> str:
    return _HEAD.sub(f"# § {number} – ", para, count=1)


def _by_new(result):
    return {u.label: u for u in result.units if u.label}


def _by_old(result):
    return {u.old_label: u for u in result.units if u.old_label}


def test_repeal_3_to_6_and_renumber_the_rest(shared_data):
    head, paras, tail = _split(_base(shared_data))
    kept = [(n, p) for n, p in paras if not 3 <= n <= 6]
    new_text = head + "".join(_renumber(p, k) for k, (_n, p) in enumerate(kept, start=1)) + tail
    result = compare(parse(_base(shared_data)), parse(new_text))
    by_old = _by_old(result)
    for k, (n, _p) in enumerate(kept, start=1):
        unit = by_old[f"§ {n}"]
        assert unit.label == f"§ {k}", (n, unit.status, unit.label)
        assert unit.status == (cmp.UNCHANGED if n == k else cmp.RENUMBERED)
    for n in range(3, 7):
        assert by_old[f"§ {n}"].status == cmp.REPEALED
        assert by_old[f"§ {n}"].label == ""
    assert result.summary == "§§ 3 bis 6 aufgehoben; bisherige §§ 7 bis 14 werden §§ 3 bis 10"
    assert by_old["§ 7"].phrase == "bisheriger § 7 wird § 3"
    assert not any(u.rewritten for u in result.units)


def _edit(para: str, k: int) -> str:
    """A small edit in the body (one word replaced, one sentence appended to the last line)."""
    lines = para.rstrip("\n").split("\n")
    lines[-1] = lines[-1] + f" Dies gilt entsprechend für Fall {k}."
    text = "\n".join(lines) + "\n\n"
    return text.replace(" Personen ", " Reisende ", 1)


def test_edit_while_renumbering(shared_data):
    head, paras, tail = _split(_base(shared_data))
    kept = [(n, p) for n, p in paras if not 3 <= n <= 6]
    new_paras = []
    for k, (n, p) in enumerate(kept, start=1):
        p = _renumber(p, k)
        if n >= 7 and n % 2:
            p = _edit(p, k)
        new_paras.append(p)
    new_text = head + "".join(new_paras) + tail
    result = compare(parse(_base(shared_data)), parse(new_text))
    by_old = _by_old(result)
    for k, (n, _p) in enumerate(kept, start=1):
        unit = by_old[f"§ {n}"]
        assert unit.label == f"§ {k}", (n, unit.status, unit.label)
        if n >= 7:
            assert unit.status == (cmp.RENUMBERED_MODIFIED if n % 2 else cmp.RENUMBERED), (n, unit.status)
            assert not unit.rewritten, (n, unit.similarity)
    for n in range(3, 7):
        assert by_old[f"§ {n}"].status == cmp.REPEALED
    summary = result.summary
    assert "neu gefasst" not in summary
    assert "bisheriger § 7 wird § 3" in summary
    assert "§ 3 neu gefasst" not in summary


def test_different_heading_under_the_same_number_is_not_paired(shared_data):
    """A § on another subject under an old number: old one aufgehoben, new one eingefügt."""
    head, paras, tail = _split(_base(shared_data))
    sport = ("# § 6 – Sportveranstaltungen\n\nSportveranstaltungen mit Zuschauern sind bis auf Weiteres "
             "untersagt. Die zuständige Behörde kann Ausnahmen für den Spitzensport zulassen.\n\n")
    new_paras = [sport if n == 6 else p for n, p in paras]
    result = compare(parse(_base(shared_data)), parse(head + "".join(new_paras) + tail))
    units = [u for u in result.units if u.label == "§ 6" or u.old_label == "§ 6"]
    assert sorted(u.status for u in units) == [cmp.INSERTED, cmp.REPEALED]
    assert "§ 6 neu gefasst" not in result.summary
    assert "§ 6 aufgehoben, neuer § 6 eingefügt" in result.summary  # one item, as a reader says it


def test_reissue_with_a_new_numbering(shared_data):
    base = _base(shared_data)
    head, paras, tail = _split(base)
    head = head.replace("Ausfertigungsdatum: 28.09.2021", "Ausfertigungsdatum: 14.01.2022")
    # new order: § 1, § 2, then a new § 3, then the old §§ 3–14 moved up by one, some edited
    new_paras = [paras[0][1], paras[1][1],
                 "# § 3 – Testpflicht vor Reiseantritt\n\nVor Reiseantritt ist ein Testnachweis zu erbringen.\n\n"]
    expected = {}
    for n, p in paras[2:]:
        p = _renumber(p, n + 1)
        if n % 3 == 0:
            p = _edit(p, n)
        new_paras.append(p)
        expected[f"§ {n}"] = f"§ {n + 1}"
    result = compare(parse(base), parse(head + "".join(new_paras) + tail))
    assert result.reissue
    assert result.summary.startswith("Neufassung der Verordnung (bisher vom 28. September 2021)")
    by_old = _by_old(result)
    for old_label, new_label in expected.items():
        unit = by_old[old_label]
        assert unit.label == new_label, (old_label, unit.status, unit.label)
        assert unit.status in (cmp.RENUMBERED, cmp.RENUMBERED_MODIFIED)
        assert not unit.rewritten
    assert _by_new(result)["§ 3"].status == cmp.INSERTED


@pytest.mark.parametrize(("old", "new"), [("2021-07-28", "2021-08-03"), ("2021-08-03", "2021-10-01")])
def test_real_reissues_of_the_einreiseverordnung(shared_data, old, new):
    laws = shared_data / "laws" / "CoronaEinreiseV"
    result = compare(parse(decode_bytes((laws / f"{old}.md").read_bytes())),
                     parse(decode_bytes((laws / f"{new}.md").read_bytes())))
    assert result.reissue
    assert result.summary.startswith("Neufassung der Verordnung (bisher vom ")


def test_ordinary_amendment_is_no_reissue(shared_data):
    laws = shared_data / "laws" / "CoronaEinreiseV"
    result = compare(parse(decode_bytes((laws / "2022-03-04.md").read_bytes())),
                     parse(decode_bytes((laws / "2022-03-19.md").read_bytes())))
    assert not result.reissue
    assert not result.summary.startswith("Neufassung")


def test_placeholder_replacing_a_unit_is_repealed():
    old = "# § 1 – A\n\nErster Text hier.\n\n# § 2 – B\n\nZweiter Text mit Inhalt.\n\n# § 3 – C\n\nDritter.\n"
    new = "# § 1 – A\n\nErster Text hier.\n\n# § 2 (weggefallen)\n\n# § 3 – C\n\nDritter.\n"
    result = compare(parse(old), parse(new))
    unit = _by_new(result)["§ 2"]
    assert unit.status == cmp.REPEALED
    assert result.summary == "§ 2 aufgehoben"


def test_renamed_statuses_and_labels():
    assert cmp.REPEALED == "repealed"
    assert cmp.RENUMBERED_MODIFIED == "renumbered_modified"
    assert set(cmp.STATUS_LABELS) == {"unchanged", "modified", "inserted", "repealed", "renumbered",
                                      "renumbered_modified", "moved"}


def test_old_column_keeps_the_old_numbering():
    """"Bisherige Fassung" shows "(2) …" where the old text says "(2)", not the new number."""
    from krisenwissen.regulations.export import unit_rows

    old = "# § 1 – A\n\n(1) Erster Absatz bleibt.\n\n(2) Zweiter Absatz bleibt gleich.\n\n1. Nummer eins.\n"
    new = ("# § 1 – A\n\n(1) Erster Absatz bleibt.\n\n(2) Ein ganz neuer Absatz über Masken.\n\n"
           "(3) Zweiter Absatz bleibt gleich.\n\n1. Nummer eins.\n")
    change = compare(parse(old), parse(new)).units[-1]
    rows = {label: ("".join(t for _op, t in old_runs), "".join(t for _op, t in new_runs))
            for label, old_runs, new_runs in unit_rows(change)}
    assert rows["Abs. 2 → Abs. 3"] == ("(2) Zweiter Absatz bleibt gleich.", "(3) Zweiter Absatz bleibt gleich.")
    assert rows["Abs. 2 Nr. 1 → Abs. 3 Nr. 1"] == ("1. Nummer eins.", "1. Nummer eins.")
    assert cmp.describe(change) == "§ 1 Absatz 2 eingefügt, bisheriger Absatz 2 wird Absatz 3"


def test_drafting_style_summaries():
    base = ("# § 3 – Pflichten\n\n(1) Erster Satz. Zweiter Satz.\n\n# § 4 – Meldungen\n\n(7) Gemeldet werden:\n\n"
            "1. Eins,\n\n2. Zwei,\n\n3. Drei,\n\n4. Vier,\n\n5. Fünf,\n\n6. Sechs.\n\n# § 12 – Alt\n\nAlter Text.\n")
    new = base.replace("Zweiter Satz.", "Zweiter Satz. Dritter Satz kommt hinzu.")
    assert compare(parse(base), parse(new)).summary == "§ 3 Absatz 1 Satz 3 angefügt"
    new = base.replace("5. Fünf,", "5. Fünf Punkte,").replace("6. Sechs.", "6. Sechs Punkte,\n\n7. Sieben Punkte.")
    assert compare(parse(base), parse(new)).summary == "in § 4 Absatz 7 Nummer 5 und 6 geändert, Nummer 7 angefügt"
    new = base.replace("2. Zwei,\n\n", "2. Zwei,\n\n2a. Zwei a,\n\n")
    assert compare(parse(base), parse(new)).summary == "§ 4 Absatz 7 Nummer 2a eingefügt"
    new = base.replace("# § 12 – Alt\n\nAlter Text.\n", "")
    assert compare(parse(base), parse(new)).summary == "§ 12 aufgehoben"


def test_every_paragraph_of_the_ifsg_moved_up_by_one(shared_data):
    """All 89 §§ renumbered, "(weggefallen)" placeholders too: nothing inserted, repealed or rewritten."""
    raw = decode_bytes((shared_data / "laws" / "IfSG" / "2026-07-05.md").read_bytes())
    shifted = re.sub(r"^# § (\d+)([a-z]*) ", lambda m: f"# § {int(m.group(1)) + 1}{m.group(2)} ", raw, flags=re.M)
    result = compare(parse(raw), parse(shifted))
    assert set(result.counts()) <= {cmp.UNCHANGED, cmp.RENUMBERED}
    for unit in result.units:
        if unit.status == cmp.RENUMBERED:
            number = int(re.search(r"\d+", unit.old_label).group())
            assert unit.label.startswith(f"§ {number + 1}"), (unit.old_label, unit.label)


def test_no_internal_tags_in_summaries():
    """The parser tags a repeated label "§ 2 (2)"; summaries never show such tags."""
    old = ("# § 2 – A\n\n(1) Eins.\n\n# § 2 – B\n\n(1) Zwei alt und lang genug.\n\n(2) Drei.\n\n"
           "1. Liste eins.\n\n1. Liste zwei.\n")
    new = old.replace("Zwei alt und lang genug.", "Zwei neu und lang genug.").replace("1. Liste zwei.", "1. Liste zwei neu.")
    summary = compare(parse(old), parse(new)).summary
    assert "(2)" not in summary, summary
    assert summary.startswith("§ 2 Absatz 1 und 2 geändert"), summary


def test_named_together_only_when_neighbours():
    old = "".join(f"# § {n} – T{n}\n\nInhalt Nummer {n} mit eigenem Text {n * 7}.\n\n" for n in range(1, 9))
    new = "".join(f"# § {n} – T{n}\n\nInhalt Nummer {n} mit eigenem Text {n * 7}.\n\n" for n in (2, 4, 6, 8))
    assert compare(parse(old), parse(new)).summary == "§ 1 aufgehoben; § 3 aufgehoben; § 5 aufgehoben; § 7 aufgehoben"
    new = "".join(f"# § {n} – T{n}\n\nInhalt Nummer {n} mit eigenem Text {n * 7}.\n\n" for n in (1, 2, 7, 8))
    assert compare(parse(old), parse(new)).summary == "§§ 3 bis 6 aufgehoben"


def test_absatz_replaced_under_its_number_is_neu_gefasst():
    old = "# § 5 – Pflichten\n\n(1) Bleibt wie es ist.\n\n(2) Alte Regel über Masken in Bussen und Bahnen.\n"
    new = old.replace("Alte Regel über Masken in Bussen und Bahnen.", "Jede Person meldet sich beim Gesundheitsamt.")
    assert compare(parse(old), parse(new)).summary == "§ 5 Absatz 2 neu gefasst"


def test_a_paragraph_with_a_new_heading_stays_paired(shared_data):
    """IfSG § 38 (drinking water) got the heading "Verordnungsermächtigung" instead of "Erlass von
    Rechtsverordnungen" and a reworded body: still § 38, not "aufgehoben" plus "eingefügt"."""
    laws = shared_data / "laws" / "IfSG"
    result = compare(parse(decode_bytes((laws / "2022-11-17.md").read_bytes())),
                     parse(decode_bytes((laws / "2022-12-09.md").read_bytes())))
    units = [u for u in result.units if u.display_label == "§ 38"]
    assert [u.status for u in units] == [cmp.MODIFIED]
    assert units[0].title_changed
