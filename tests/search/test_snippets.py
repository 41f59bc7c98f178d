"""Pure tests of snippet extraction and highlighting (no database)."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.search.snippets import ELLIPSIS, find_match_spans, make_snippet
from krisenwissen.search.text import parse_query

MARK_RE = re.compile(r"</?mark>")


def marked(snippet: str) -> list[str]:
    return [html.unescape(part) for part in re.findall(r"<mark>(.*?)</mark>", snippet)]


def test_highlights_inflected_word_by_stem():
    snippet = make_snippet("Die Krisenstäbe tagten täglich.", "Krisenstab")
    assert marked(snippet) == ["Krisenstäbe"]


def test_highlights_umlaut_spelling_variants():
    assert marked(make_snippet("Die Krisenstäbe tagten.", "Krisenstaebe")) == ["Krisenstäbe"]
    assert marked(make_snippet("Jede Maßnahme zählt.", "Massnahme")) == ["Maßnahme"]


def test_highlights_part_of_compound():
    snippet = make_snippet("Es fehlte Schutzausrüstung für alle.", "Schutz")
    assert marked(snippet) == ["Schutz"]
    assert "<mark>Schutz</mark>ausrüstung" in snippet


def test_highlights_infix_with_umlaut():
    assert marked(make_snippet("Es fehlte Schutzausrüstung.", "ausruestung")) == ["ausrüstung"]


def test_escapes_html_in_text():
    snippet = make_snippet('<script>alert("x")</script> Krisenstab & Co', "Krisenstab")
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&amp; Co" in snippet
    assert marked(snippet) == ["Krisenstab"]


def test_query_cannot_inject_markup():
    snippet = make_snippet("Der Krisenstab <b>tagte</b>.", "<b> Krisenstab")
    assert MARK_RE.sub("", snippet).count("<") == 0


def test_window_around_best_region_with_ellipses():
    text = "Anfang " + "Füllwort " * 60 + "Hier tagte der Krisenstab mit Schutzausrüstung. " + "Ende " * 60
    snippet = make_snippet(text, "Krisenstab Schutz", length=120)
    assert snippet.startswith(ELLIPSIS) and snippet.endswith(ELLIPSIS)
    assert marked(snippet) == ["Krisenstab", "Schutz"]
    assert len(MARK_RE.sub("", snippet)) <= 120 + 2


def test_prefers_region_with_more_distinct_terms():
    text = "Krisenstab " + "x " * 200 + "Krisenstab und Schutzausrüstung gemeinsam"
    snippet = make_snippet(text, "Krisenstab Schutz", length=80)
    assert "Schutz" in " ".join(marked(snippet))


def test_without_match_shows_beginning():
    snippet = make_snippet("Der Anfang des Textes. " * 30, "Hochwasser", length=50)
    assert snippet.startswith("Der Anfang")
    assert snippet.endswith(ELLIPSIS)
    assert "<mark>" not in snippet


def test_empty_text():
    assert make_snippet("", "Krisenstab") == ""
    assert make_snippet("   ", "Krisenstab") == ""


def test_spans_are_merged():
    spans = find_match_spans("Krisenstäbe", parse_query("Krisenstab krisenstabe"))
    assert spans == [(0, 11)]


# --- fuzzing -----------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.lists(
    st.sampled_from(["Krisenstäbe", "Schutzausrüstung", "<b>", "&amp;", '"', "Maßnahme", "ß", "ae", " ", "\n", "Ü"]),
    max_size=60,
).map("".join)
queries = st.text(max_size=40) | st.sampled_from(["Schutz", "Krisenstab", "Massnahme", "<mark>", "ae", "&"])


@settings(max_examples=400, deadline=None)
@given(texts, queries)
def test_snippet_is_escaped_text_of_the_original(text, query):
    snippet = make_snippet(text, query)
    # Only well-formed, non-nested <mark> tags are markup.
    without_marks = MARK_RE.sub("", snippet)
    assert "<" not in without_marks and ">" not in without_marks
    assert re.fullmatch(r"(?:[^<]|<mark>[^<]+</mark>)*", snippet)
    # What remains is a piece of the (whitespace-collapsed) original text.
    plain = html.unescape(without_marks).strip(ELLIPSIS)
    assert plain in " ".join(text.split())
