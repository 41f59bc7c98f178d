"""``krisenwissen ingest`` and passages in ``krisenwissen search --json`` (visibility respected)."""

import io
import json

import pytest
from django.core.management import call_command

from krisenwissen.documents.models import Document, Passage

from .pdfmaker import make_pdf


@pytest.fixture
def files(tmp_path):
    pdf = tmp_path / "lage.pdf"
    pdf.write_bytes(make_pdf([["Lagebericht", "Vorwort ohne Stichwort."],
                              ["Dokumentation", "Das Einsatztagebuch wird im Krisenstab lückenlos geführt."]]))
    md = tmp_path / "kapitel.md"
    md.write_text("---\ntitle: Kapitel Stabsarbeit\n---\n# Führung\n\nDer Stab arbeitet in Schichten.\n", encoding="utf-8")
    bad = tmp_path / "kaputt.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj")
    return pdf, md, bad


def _search(*args):
    out = io.StringIO()
    call_command("search", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True)
def test_ingest_and_search_returns_passage_with_document_page_and_text(files, city_a):
    pdf, md, bad = files
    out = io.StringIO()
    call_command("ingest", str(pdf), str(md), str(bad), "--municipality", city_a.ags, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert [row["ok"] for row in report] == [True, True, False]
    assert report[0]["pages"] == 2 and report[1]["title"] == "Kapitel Stabsarbeit"
    assert "PDF" in report[2]["message"]
    hits = [h for h in _search("Einsatztagebuch") if h["kind"] == "passage"]
    assert len(hits) == 1
    hit = hits[0]
    assert hit["document"] == "lage" and hit["page"] == 2
    assert hit["text"] == Passage.objects.get(pk=hit["id"]).text
    assert {"kind", "kind_label", "id", "title", "snippet", "url", "municipality", "visibility"} <= hit.keys()


@pytest.mark.django_db(transaction=True)
def test_passages_never_reach_users_who_may_not_read_the_document(files, city_a, reader_a, editor_b):
    pdf, _md, _bad = files
    call_command("ingest", str(pdf), "--municipality", city_a.ags, "--json", stdout=io.StringIO())
    assert Document.objects.get().visibility == "intern"
    assert [h for h in _search("Einsatztagebuch", "--as-user", editor_b.username) if h["kind"] == "passage"] == []
    assert [h for h in _search("Einsatztagebuch", "--anonymous") if h["kind"] == "passage"] == []
    assert [h["kind"] for h in _search("Einsatztagebuch", "--as-user", reader_a.username)] == ["passage"]


@pytest.mark.django_db(transaction=True)
def test_ingest_without_municipality_uses_the_configured_one_or_names_the_choices(files, city_a, settings):
    from django.core.management.base import CommandError

    from tests.factories import MunicipalityFactory

    pdf, _md, _bad = files
    MunicipalityFactory(ags="05111", name="Düsseldorf", is_participating=True)
    city_a.is_participating = True
    city_a.save()
    settings.KRISENWISSEN_DEFAULT_MUNICIPALITY = ""
    with pytest.raises(CommandError) as refused:
        call_command("ingest", str(pdf), "--json", stdout=io.StringIO())
    assert "--municipality" in str(refused.value) and "05111 (Düsseldorf)" in str(refused.value)
    assert not Document.objects.exists()
    settings.KRISENWISSEN_DEFAULT_MUNICIPALITY = city_a.ags
    call_command("ingest", str(pdf), "--json", stdout=io.StringIO())
    assert Document.objects.get().municipality == city_a
