"""The ``search`` and ``reindex`` console commands."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from krisenwissen.search.models import SearchDocument


def run_command(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_search_json_finds_inflected_words(world):
    hits = json.loads(run_command("search", "Krisenstäbe", "--json"))
    assert len(hits) == 9
    for hit in hits:
        assert {"title", "snippet", "kind", "url"} <= set(hit)
        assert "Krisenstäbe" in hit["snippet"] or "Krisenstab" in hit["title"]


def test_search_finds_compound_parts(world):
    hits = json.loads(run_command("search", "Schutz", "--json", "--limit", "3"))
    assert len(hits) == 3
    assert all("Schutzausrüstung" in hit["snippet"].replace("<mark>", "").replace("</mark>", "") for hit in hits)


def test_default_scope_is_everything_and_as_user_restricts(world, reader_c):
    assert len(json.loads(run_command("search", "Codewort", "--json"))) == 9
    assert len(json.loads(run_command("search", "Codewort", "--json", "--as-user", "leser-c"))) == 5
    assert len(json.loads(run_command("search", "Codewort", "--json", "--user", "leser-c"))) == 5
    assert len(json.loads(run_command("search", "Codewort", "--json", "--anonymous"))) == 3


def test_text_output(world):
    output = run_command("search", "Bürgertelefon")
    assert "1 Treffer" in output
    assert "[Gute Praxis] Bürgertelefon mit Verwaltungskenntnis – Stadt C" in output
    assert "<mark>" not in output


def test_errors(world):
    with pytest.raises(CommandError):
        run_command("search", "x", "--as-user", "niemand")
    with pytest.raises(CommandError):
        run_command("search", "x", "--limit", "0")


def test_reindex_prints_counts(world):
    SearchDocument.objects.all().delete()
    output = run_command("reindex")
    assert "Beobachtung: 9" in output and "Gute Praxis: 1" in output
    assert "12 Einträge" in output
    assert SearchDocument.objects.count() == 12
