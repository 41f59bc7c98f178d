"""``krisenwissen regulations apply BASE ACT --output NEW.md [--report REPORT.json]``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.regulations.test_amending import BASE, IMPFV_PDF, LAWS, act, words_outside_toc


@pytest.mark.skipif(not IMPFV_PDF.exists(), reason="shared data not present")
def test_apply_coronaimpfv(tmp_path):
    out, report = tmp_path / "NEW.md", tmp_path / "report.json"
    call_command("regulations", "apply", str(LAWS / "CoronaImpfV" / "2021-11-18.md"), str(IMPFV_PDF),
                 "--output", str(out), "--report", str(report))
    data = json.loads(report.read_text())
    art1 = [i for i in data["instructions"] if i["article"] == "Artikel 1"]
    assert len(art1) == 16 and {i["status"] for i in art1} == {"applied"}
    assert {i["status"] for i in data["instructions"] if i["article"] == "Artikel 2"} == {"not_applicable"}
    assert all(i["text"] for i in data["instructions"])
    assert data["in_force"].startswith("(1) Diese Verordnung tritt vorbehaltlich der Absätze 2 und 3")
    want = words_outside_toc((LAWS / "CoronaImpfV" / "2021-12-21.md").read_text())
    got = words_outside_toc(out.read_text())
    # one word: the consolidated source's "nach den § 8 …" (see test_amending)
    assert len(want) - len(got) == 1


def test_failed_instruction_writes_output_and_exits_1(tmp_path):
    base, amending = tmp_path / "base.md", tmp_path / "act.txt"
    base.write_text(BASE)
    amending.write_text(act("1. In § 2 Satz 1 werden die Wörter „gibt es nicht“ gestrichen.",
                            "2. In § 4 Satz 1 wird die Angabe „30. Juni 2021“ durch die Angabe „31. Juli 2021“ ersetzt."))
    out, report = tmp_path / "new.md", tmp_path / "r.json"
    with pytest.raises(SystemExit) as exc:
        call_command("regulations", "apply", str(base), str(amending), "--output", str(out), "--report", str(report))
    assert exc.value.code == 1
    assert out.read_text() == BASE.replace("30. Juni 2021", "31. Juli 2021")
    data = json.loads(report.read_text())
    assert [i["status"] for i in data["instructions"]] == ["failed", "applied"]
    assert "kommen in § 2 Satz 1 nicht vor" in data["instructions"][0]["reason"]


def test_no_amending_act_exits_2_and_writes_nothing(tmp_path):
    base = tmp_path / "base.md"
    base.write_text(BASE)
    out = tmp_path / "new.md"
    with pytest.raises(CommandError, match="keine Änderungsverordnung") as exc:
        call_command("regulations", "apply", str(base), str(base), "--output", str(out))
    assert exc.value.returncode == 2
    assert not Path(out).exists()
    other = tmp_path / "other.txt"
    other.write_text(act("1. § 1 wird aufgehoben.", "2. § 2 wird aufgehoben.", law="Musterverordnung"))
    with pytest.raises(CommandError, match="Kein Artikel dieser Änderungsverordnung ändert"):
        call_command("regulations", "apply", str(base), str(other), "--output", str(out))
    assert not Path(out).exists()


def test_artikel_option_chooses_by_number(tmp_path):
    base, amending = tmp_path / "base.md", tmp_path / "act.txt"
    base.write_text(BASE)
    amending.write_text(act("1. In § 4 Satz 1 wird die Angabe „30. Juni 2021“ durch die Angabe „31. Juli 2021“ ersetzt.",
                            law="Mustersatzung"))
    out = tmp_path / "new.md"
    with pytest.raises(CommandError, match="bitte den Artikel angeben"):
        call_command("regulations", "apply", str(base), str(amending), "--output", str(out))
    call_command("regulations", "apply", str(base), str(amending), "--output", str(out), "--artikel", "1")
    assert out.read_text() == BASE.replace("30. Juni 2021", "31. Juli 2021")
