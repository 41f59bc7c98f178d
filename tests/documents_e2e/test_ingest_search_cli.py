"""Issue 18, done when (CLI): ``krisenwissen ingest`` on real files of ../shared/data (a PDF of the
Bundesanzeiger and a chapter of the AÖGW handbook in Markdown), then ``krisenwissen search --json``:
every passage hit carries ``document``, ``page`` and the passage's full ``text`` besides the
common keys, and passages stay hidden from people who may not read the document."""

import io
import json

import pytest
from django.core.management import call_command

from krisenwissen.documents.models import Passage

COMMON = {"kind", "kind_label", "id", "title", "snippet", "url", "municipality", "visibility"}


def _search(*args):
    out = io.StringIO()
    call_command("search", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True)
def test_real_pdf_and_markdown_passage_hits_carry_document_page_and_text(shared_data, city_a, reader_a, editor_b):
    pdf = shared_data / "documents" / "pdf" / "2021-12-17_CoronaImpfV.pdf"
    md = shared_data / "documents" / "aoegw-krisenmanagement" / "chapter_14.md"
    out = io.StringIO()
    call_command("ingest", str(pdf), str(md), "--municipality", city_a.ags, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert [row["ok"] for row in report] == [True, True], report
    assert report[0]["pages"] == 3

    for term, expect_page in (("Einsatztagebuch", False), ("Impfkommission", True)):
        hits = [h for h in _search(term, "--as-user", reader_a.username) if h["kind"] == "passage"]
        assert hits, term
        for hit in hits:
            assert COMMON | {"document", "page", "text"} <= hit.keys(), hit.keys()
            passage = Passage.objects.select_related("document").get(pk=hit["id"])
            assert hit["text"] == passage.text and hit["document"] == passage.document.title
            assert hit["page"] == passage.page
            assert hit["heading"] == passage.heading
            assert term.lower() in f'{hit["document"]} {hit["heading"]} {hit["text"]}'.lower()  # title is indexed
        if expect_page:
            assert all(1 <= hit["page"] <= 3 for hit in hits)
            assert any(h["document"] != md.stem for h in hits)

    # the documents are "intern": nobody outside city A finds them
    assert [h for h in _search("Einsatztagebuch", "--as-user", editor_b.username) if h["kind"] == "passage"] == []
    assert [h for h in _search("Impfkommission", "--anonymous") if h["kind"] == "passage"] == []
