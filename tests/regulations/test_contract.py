"""The JSON contract of the Synopse (synopse.schema.json) and ``krisenwissen compare`` on the command line."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions
from krisenwissen.regulations.compare import compare, unit_text
from krisenwissen.regulations.export import schema_path, synopse_contract
from krisenwissen.regulations.legaltext import decode_bytes, parse

SRC = Path(__file__).resolve().parents[2] / "src"
SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# a few real pairs: many modified §§, inserted §§ in the old plain markup, a renumbering history
PAIRS = [
    ("IfSG/2022-03-22.md", "IfSG/2022-09-28.md"),
    ("IfSG/early-formats/2021-04-22.md", "IfSG/early-formats/2021-04-23.md"),
    ("CoronaEinreiseV/2021-04-30.md", "CoronaEinreiseV/2021-05-05.md"),
    ("CoronaImpfV/2021-11-18.md", "CoronaImpfV/2021-12-21.md"),
]


def _check_contract(data: dict, old_file: Path, new_file: Path) -> None:
    """Schema valid; every unit of both files appears once; the ops spell both whole texts."""
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    old_doc = parse(decode_bytes(old_file.read_bytes()))
    new_doc = parse(decode_bytes(new_file.read_bytes()))
    old_units = {u.label: u for u in old_doc.units}
    new_units = {u.label: u for u in new_doc.units}
    assert sorted(u["old_label"] for u in data["units"] if u["old_label"]) == sorted(old_units)
    assert sorted(u["label"] for u in data["units"] if u["label"]) == sorted(new_units)
    assert [u["label"] for u in data["units"] if u["label"]] == [u.label for u in new_doc.units]  # document order
    for unit in data["units"]:
        old_text = "".join(t for op, t in unit["ops"] if op != "insert")
        new_text = "".join(t for op, t in unit["ops"] if op != "delete")
        where = unit["label"] or unit["old_label"]
        # the unit's whole text: heading line and body (compare.unit_text)
        assert old_text == (unit_text(old_units[unit["old_label"]]) if unit["old_label"] else ""), where
        assert new_text == (unit_text(new_units[unit["label"]]) if unit["label"] else ""), where
        assert unit["heading_old"] == (old_units[unit["old_label"]].title if unit["old_label"] else None)
        assert unit["heading_new"] == (new_units[unit["label"]].title if unit["label"] else None)
        if unit["status"] == "unchanged":
            assert all(op == "equal" for op, _t in unit["ops"]) and unit["summary"] == "unverändert"
        if unit["status"] == "inserted":
            assert unit["ops"] == ([["insert", new_text]] if new_text else [])
        if unit["status"] == "repealed" and not unit["label"]:  # (a placeholder "(weggefallen)" keeps the label)
            assert unit["ops"] == ([["delete", old_text]] if old_text else [])
    assert sum(data["counts"].values()) == len(data["units"])


def _run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``krisenwissen ARGS`` as a user runs it (a new process; the fast path for compare)."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "krisenwissen.cli", *args], capture_output=True, env=env,
                          cwd=cwd, timeout=120)


def test_schema_is_valid_and_shipped():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert schema_path().parent.name == "regulations" and schema_path().suffix == ".json"  # package data "*.json"


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[p[1] for p in PAIRS])
def test_cli_json_follows_the_contract(shared_data, old, new):
    laws = shared_data / "laws"
    result = _run_cli("compare", str(laws / old), str(laws / new), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    _check_contract(data, laws / old, laws / new)
    assert data["old"]["name"] == Path(old).name and data["new"]["date"] == Path(new).stem
    assert data["reissue"] is False


@pytest.mark.parametrize("history", ["IfSG", "CoronaEinreiseV", "CoronaImpfV", "CoronaMeldePflErwV"])
def test_contract_on_every_consecutive_pair(shared_data, history):
    files = sorted((shared_data / "laws" / history).glob("*.md"))
    assert len(files) >= 2
    for a, b in zip(files, files[1:], strict=False):
        comparison = compare(parse(decode_bytes(a.read_bytes())), parse(decode_bytes(b.read_bytes())))
        data = json.loads(json.dumps(synopse_contract(comparison, old={"name": a.name}, new={"name": b.name})))
        _check_contract(data, a, b)


def test_reissue_is_reported():
    old = "% Verordnung vom 1. März 2021\n\n# § 1 – Alt\n\nDer Hund ist anzuleinen.\n\n# § 2 – Alt zwei\n\nKatzen bleiben im Haus.\n"
    new = ("% Verordnung vom 5. Mai 2021\n\n# § 1 – Zweck\n\nDiese Verordnung regelt den Schutz.\n\n# § 2 – Begriffe\n\nIm Sinne dieser "
           "Verordnung ist ein Betrieb jede Stelle.\n\n# § 3 – Inkrafttreten\n\nSie tritt morgen in Kraft.\n")
    data = synopse_contract(compare(parse(old), parse(new)))
    assert not list(VALIDATOR.iter_errors(data))
    assert data["reissue"] is True
    ordinary = synopse_contract(compare(parse(old), parse(old.replace("Haus", "Garten"))))
    assert ordinary["reissue"] is False


def test_real_reissue_is_reported(shared_data):
    """CoronaEinreiseV was re-issued on 12.05.2021 (Ausfertigungsdatum 13.01.2021 -> 12.05.2021)."""
    laws = shared_data / "laws/CoronaEinreiseV"
    result = _run_cli("compare", str(laws / "2021-05-05.md"), str(laws / "2021-05-15.md"))
    data = json.loads(result.stdout)
    assert data["reissue"] is True
    _check_contract(data, laws / "2021-05-05.md", laws / "2021-05-15.md")


def test_fast_path_output_equals_the_django_command(db, shared_data, tmp_path, capsysbinary):
    """Same bytes from the Django-free fast path and from the management command (database rules)."""
    old = shared_data / "laws/IfSG/early-formats/2021-04-22.md"
    new = shared_data / "laws/IfSG/early-formats/2021-04-23.md"
    for args in (["--format", "json"], ["--format", "text"], ["--format", "text", "--full"],
                 ["--format", "html", "--full"], ["--format", "text", "--amt", "Gesundheitsamt"]):
        call_command("compare", str(old), str(new), *args)
        django_out = capsysbinary.readouterr().out
        fast = _run_cli("compare", str(old), str(new), *args)
        assert fast.returncode == 0, fast.stderr.decode()
        assert fast.stdout == django_out, args
    pairs = tmp_path / "pairs"
    pairs.mkdir()
    for name in ("2021-04-22.md", "2021-04-23.md"):
        shutil.copy(old.parent / name, pairs / name)
    call_command("compare", "--pairs", str(pairs))
    assert _run_cli("compare", "--pairs", str(pairs)).stdout == capsysbinary.readouterr().out


def test_fast_path_does_not_import_django(shared_data, tmp_path):
    old = shared_data / "laws/IfSG/2022-03-22.md"
    new = shared_data / "laws/IfSG/2022-09-28.md"
    target = tmp_path / "out.json"
    code = (
        "import sys\n"
        "from krisenwissen.cli import main\n"
        "try:\n"
        f"    main(['compare', {str(old)!r}, {str(new)!r}, '--output', {str(target)!r}])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('django', 'rules', 'docx', 'pypdf')}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=120, text=True)
    assert result.stdout.splitlines() == ["exit 0", "[]"], result.stderr
    assert "Geschrieben:" in result.stderr
    assert not list(VALIDATOR.iter_errors(json.loads(target.read_text(encoding="utf-8"))))


def test_full_text_shows_unchanged_units(shared_data):
    old = shared_data / "laws/IfSG/early-formats/2021-04-22.md"
    new = shared_data / "laws/IfSG/early-formats/2021-04-23.md"
    short = _run_cli("compare", str(old), str(new), "--format", "text")
    full = _run_cli("compare", str(old), str(new), "--format", "text", "--full")
    assert short.returncode == full.returncode == 0
    short_text, full_text = short.stdout.decode(), full.stdout.decode()
    assert "§ 28b eingefügt" in short_text and "{+" in short_text
    # § 1 is unchanged: only the full Synopse shows it, with its whole text
    assert "== § 1 – Zweck des Gesetzes ==" not in short_text
    assert "== § 1 – Zweck des Gesetzes ==\nunverändert\n" in full_text
    assert "Zweck des Gesetzes ist es, übertragbaren Krankheiten beim Menschen vorzubeugen" in full_text
    assert full_text.count("\n== ") > short_text.count("\n== ") + 50
    html = _run_cli("compare", str(old), str(new), "--format", "html", "--full").stdout.decode()
    assert "<h2>§ 1 – Zweck des Gesetzes</h2>" in html and "übertragbaren Krankheiten beim Menschen vorzubeugen" in html
    assert "<h2>§ 1 – Zweck des Gesetzes</h2>" not in _run_cli("compare", str(old), str(new), "--format", "html").stdout.decode()


def test_full_docx_shows_unchanged_units(shared_data, tmp_path):
    import docx

    old = shared_data / "laws/CoronaImpfV/2021-11-18.md"
    new = shared_data / "laws/CoronaImpfV/2021-12-21.md"
    texts = {}
    for name, extra in (("kurz", []), ("voll", ["--full"])):
        target = tmp_path / f"{name}.docx"
        result = _run_cli("compare", str(old), str(new), "--format", "docx", "--output", str(target), *extra)
        assert result.returncode == 0, result.stderr
        document = docx.Document(str(target))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        texts[name] = "\n".join([p.text for p in document.paragraphs] + cells)
    # § 3 of the ordinance is unchanged: only the full Synopse prints its text
    unchanged = parse(old.read_text(encoding="utf-8")).unit("§ 3").body_text.split("\n")[0][:60]
    assert unchanged not in texts["kurz"]
    assert unchanged in texts["voll"]


def test_pairs_batch_mode(shared_data, tmp_path):
    folder = tmp_path / "fassungen"
    folder.mkdir()
    source = sorted((shared_data / "laws/IfSG").glob("*.md"))[:4]
    for path in source:
        shutil.copy(path, folder / path.name)
    (folder / "notiz.txt").write_text("keine Fassung", encoding="utf-8")
    result = _run_cli("compare", "--pairs", str(folder))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{a.name} → {b.name}" for a, b in zip(source, source[1:], strict=False)]
    result = _run_cli("compare", "--pairs", str(folder), "--format", "json")
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(records) == 3
    for record, (a, b) in zip(records, zip(source, source[1:], strict=False), strict=True):
        assert (record["old"]["name"], record["new"]["name"]) == (a.name, b.name)
        assert not list(VALIDATOR.iter_errors(record))
    # a stub among the files: its two pairs are refused with the reason, the others still compared
    shutil.copy(shared_data / "laws/CoronaEinreiseV/broken/2021-05-13.md", folder / "2021-05-01.md")
    result = _run_cli("compare", "--pairs", str(folder))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "nur den Titel" in err and "CommandError: 2 von 4 Paaren nicht verglichen" in err
    assert len(result.stdout.decode().splitlines()) == 2


@pytest.mark.parametrize(("args", "message", "code"), [
    (["compare", "fehlt.md", "auch-fehlt.md"], "CommandError: Datei nicht gefunden: fehlt.md", 1),
    (["compare"], "CommandError: Bitte zwei Dateien angeben (ALT NEU) oder --pairs ORDNER.", 1),
    (["compare", "--pairs", "gibt-es-nicht"], "CommandError: Ordner nicht gefunden: gibt-es-nicht", 1),
    (["compare", "--pairs", "."], "CommandError: Im Ordner . liegen weniger als zwei Markdown-Dateien", 1),
    (["compare", "--pairs", ".", "--format", "pdf"], "CommandError: --pairs schreibt eine Zeile je Paar", 1),
    (["compare", "a.md", "b.md", "--format", "rtf"], "invalid choice: 'rtf'", 2),
])
def test_bad_input_gives_german_message_and_exit_code(tmp_path, args, message, code):
    result = _run_cli(*args, cwd=tmp_path)
    assert result.returncode == code
    assert message in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_stub_is_refused_on_both_paths(db, shared_data):
    old = str(shared_data / "laws/CoronaEinreiseV/2021-04-30.md")
    stub = str(shared_data / "laws/CoronaEinreiseV/broken/2021-05-13.md")
    result = _run_cli("compare", old, stub)
    assert result.returncode == 1 and "nur den Titel" in result.stderr.decode()
    with pytest.raises(CommandError) as exc:
        call_command("compare", old, stub)
    assert f"CommandError: {exc.value}" == result.stderr.decode().strip()


def test_api_serves_the_contract(client, db):
    old_text = "% Testverordnung (Testverordnung - TestV)\n\n# § 1 – Schulen\n\nSchulen bleiben geöffnet.\n"
    new_text = old_text.replace("geöffnet", "geschlossen") + "\n# § 2 – Neu\n\nNeuer Text.\n"
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    old = actions.do_add_version(legal_text, text=old_text, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    new = actions.do_add_version(legal_text, text=new_text, in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM,
                                 amending_act="Erste Verordnung zur Änderung der Testverordnung",
                                 amending_act_reference="BAnz AT 29.01.2021 V1")
    response = client.get(reverse("regulations:synopse_export", kwargs={"slug": legal_text.slug, "fmt": "json"}),
                          {"alt": old.pk, "neu": new.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert not list(VALIDATOR.iter_errors(data))
    assert data["old"]["date"] == "2021-01-01" and data["new"]["in_force"] == "2021-02-01"
    assert data["new"]["amending_act"] == "Erste Verordnung zur Änderung der Testverordnung"
    assert data["new"]["amending_act_reference"] == "BAnz AT 29.01.2021 V1"
    units = {u["label"]: u for u in data["units"]}
    assert units["§ 1"]["status"] == "modified" and units["§ 1"]["departments"] == ["Schulverwaltung"]
    assert units["§ 1"]["ops"] == [["equal", "§ 1 – Schulen\nSchulen bleiben "], ["delete", "geöffnet"], ["insert", "geschlossen"],
                                   ["equal", "."]]
    assert units["§ 2"] == {**units["§ 2"], "status": "inserted", "old_label": None, "heading_new": "Neu",
                            "ops": [["insert", "§ 2 – Neu\nNeuer Text."]]}


def test_read_api_serves_the_contract(client, db):
    """/api/v1/verordnungen/<slug>/synopse/: the same contract as the export, default pair and bad ids."""
    old_text = "% Testverordnung (Testverordnung - TestV)\n\n# § 1 – Schulen\n\nSchulen bleiben geöffnet.\n"
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    url = reverse("api:synopse", kwargs={"slug": legal_text.slug})
    actions.do_add_version(legal_text, text=old_text, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    assert client.get(url).status_code == 404  # one version: nothing to compare
    new = actions.do_add_version(legal_text, text=old_text.replace("geöffnet", "geschlossen"),
                                 in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM,
                                 amending_act="Erste Verordnung zur Änderung der Testverordnung")
    data = client.get(url).json()  # default: the two newest different versions
    assert not list(VALIDATOR.iter_errors(data))
    assert data["new"]["amending_act"] == "Erste Verordnung zur Änderung der Testverordnung"
    assert [u["status"] for u in data["units"] if u["label"] == "§ 1"] == ["modified"]
    assert client.get(url, {"neu": new.pk}).json() == data
    assert client.get(url, {"alt": "x"}).status_code == 400
    assert client.get(reverse("api:synopse", kwargs={"slug": "unbekannt"})).status_code == 404
    assert "/verordnungen/{slug}/synopse/" in client.get(reverse("api:openapi")).json()["paths"]
