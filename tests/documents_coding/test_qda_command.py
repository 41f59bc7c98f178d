"""`krisenwissen qda export/import` round trip on the command line."""

import json

import pytest
from django.core.management import CommandError, call_command

from krisenwissen.documents.models import Coding, Document
from krisenwissen.documents.refi.qdpx import parse_qdpx

from .helpers import make_codes, make_document


def test_export_and_import_on_the_command_line(tmp_path, city_a, capsys):
    _d, version = make_document(city_a, text="Straße 🚧 gesperrt, Umleitung über Nordring.")
    _s, _p, child, _o = make_codes()
    Coding.objects.create(version=version, document=version.document, start=7, end=18, code=child, coder_name="Forscherin")
    target = tmp_path / "projekt.qdpx"
    call_command("qda", "export", "--output", str(target))
    assert len(parse_qdpx(target.read_bytes()).sources) == 1
    Coding.objects.all().delete()
    Document.objects.all().delete()
    capsys.readouterr()
    call_command("qda", "import", str(target), "--kommune", city_a.ags, "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["codings_created"] == 1 and report["coder_names"] == ["Forscherin"]
    assert Coding.objects.get().segment == "🚧 gesperrt,"  # code points: the emoji is one character
    call_command("qda", "export", "--output", str(tmp_path / "codebuch.qdc"))
    assert b"urn:QDA-XML:codebook:1.0" in (tmp_path / "codebuch.qdc").read_bytes()


def test_bad_file_is_a_command_error(tmp_path, city_a):
    bad = tmp_path / "kaputt.qdpx"
    bad.write_bytes(b"kein zip")
    with pytest.raises(CommandError, match="kein gültiges Archiv"):
        call_command("qda", "import", str(bad), "--kommune", city_a.ags)
