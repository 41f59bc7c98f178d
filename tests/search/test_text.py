"""Pure tests of German text normalisation and FTS5 query building (no database)."""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.search import text


class TestFold:
    @pytest.mark.parametrize(("raw", "folded"), [
        ("Maßnahme", "massnahme"),
        ("Massnahme", "massnahme"),
        ("Krisenstäbe", "krisenstabe"),
        ("Krisenstaebe", "krisenstabe"),
        ("ÖFFENTLICH", "offentlich"),
        ("Übung", "ubung"),
        ("Ueberpruefung", "uberprufung"),
        ("Café", "cafe"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
    ])
    def test_folds_case_umlauts_and_sharp_s(self, raw, folded):
        assert text.fold(raw) == folded

    @pytest.mark.parametrize("word", ["Feuerwehr", "Frauen", "Quelle", "neue", "Steuer"])
    def test_eu_au_and_qu_are_not_taken_for_umlauts(self, word):
        assert text.fold(word) == word.lower()

    def test_folded_text_collapses_whitespace(self):
        assert text.folded_text("  Schutz-\nAusrüstung \t  für alle ") == "schutz- ausrustung fur alle"


class TestStemming:
    @pytest.mark.parametrize("variant", ["Krisenstab", "Krisenstäbe", "Krisenstaebe", "KRISENSTÄBE", "Krisenstabs"])
    def test_inflections_and_spellings_share_a_stem(self, variant):
        assert text.stem(variant) == "krisenstab"

    def test_sharp_s_spelling_shares_a_stem(self):
        assert text.stem("Maßnahmen") == text.stem("Massnahme") == "massnahm"

    def test_stemmed_text_drops_stopwords(self):
        assert text.stemmed_text("Die Krisenstäbe und der Bürgermeister über alles") == "krisenstab burgermeist"

    def test_stopwords_are_recognised_in_any_spelling(self):
        assert text.is_stopword("Über")
        assert text.is_stopword("ueber")
        assert text.is_stopword("FÜR")
        assert not text.is_stopword("Feuerwehr")

    def test_tokenize_splits_on_punctuation_and_underscore(self):
        assert text.tokenize("COVID-19-Pandemie: a_b (Test)") == ["COVID", "19", "Pandemie", "a", "b", "Test"]


class TestParseQuery:
    def test_terms(self):
        parsed = text.parse_query("Die Krisenstäbe und Schutz")
        assert parsed.stems == ("krisenstab", "schutz")
        assert parsed.substrings == ("krisenstabe", "schutz")

    def test_short_terms_only_match_by_stem(self):
        parsed = text.parse_query("IT Notfall")
        assert "it" in parsed.stems
        assert parsed.substrings == ("notfall",)

    def test_only_stopwords_still_searches_substrings(self):
        parsed = text.parse_query("die und")
        assert parsed.stems == ()
        assert parsed.substrings == ("die", "und")
        assert not parsed.is_empty

    @pytest.mark.parametrize("raw", ["", "   ", "***", '""', "()", "-", "+ - ^ :"])
    def test_empty_input(self, raw):
        parsed = text.parse_query(raw)
        assert parsed.is_empty
        assert text.fts5_stem_match(parsed) is None
        assert text.fts5_trigram_match(parsed) is None

    def test_operators_are_plain_words(self):
        parsed = text.parse_query('Schutz AND "Masken" OR NEAR(a b) NOT x*')
        assert text.fts5_stem_match(parsed) == '"schutz" AND "and" AND "mask" AND "or" AND "near" AND "a" AND "b" AND "not" AND "x"'

    def test_duplicates_are_removed(self):
        assert text.parse_query("Krisenstab Krisenstäbe krisenstab").stems == ("krisenstab",)

    def test_long_input_is_bounded(self):
        parsed = text.parse_query("wort" * 2500 + " " + " ".join(f"begriff{i}" for i in range(100)))
        assert len(parsed.stems) <= text.MAX_QUERY_TERMS
        assert all(len(term) <= text.MAX_TERM_LENGTH for term in parsed.stems + parsed.substrings)


@pytest.fixture(scope="module")
def fts_connection():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE stems USING fts5(body)")
    connection.execute("CREATE VIRTUAL TABLE grams USING fts5(body, tokenize='trigram')")
    connection.execute("INSERT INTO stems VALUES (?)", (text.stemmed_text("Die Krisenstäbe beschafften Schutzausrüstung"),))
    connection.execute("INSERT INTO grams VALUES (?)", (text.folded_text("Die Krisenstäbe beschafften Schutzausrüstung"),))
    yield connection
    connection.close()


def test_generated_match_expressions_find_text(fts_connection):
    parsed = text.parse_query("Krisenstaebe Schutz")
    assert fts_connection.execute("SELECT count(*) FROM grams WHERE grams MATCH ?", (text.fts5_trigram_match(parsed),)).fetchone() == (1,)
    parsed = text.parse_query("Krisenstab")
    assert fts_connection.execute("SELECT count(*) FROM stems WHERE stems MATCH ?", (text.fts5_stem_match(parsed),)).fetchone() == (1,)


# --- fuzzing -----------------------------------------------------------------------------

_NASTY = st.sampled_from(['"', "'", "*", "(", ")", "NEAR", "AND", "OR", "NOT", ":", "^", "-", "+", "{", "}", "ß", "ẞ", "Ä", "\x00", "\u0308", "_"])
query_text = st.lists(st.one_of(st.text(max_size=12), _NASTY), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(query_text)
def test_any_input_gives_valid_fts5_expressions(fts_connection, raw):
    parsed = text.parse_query(raw)
    for table, expression in (("stems", text.fts5_stem_match(parsed)), ("grams", text.fts5_trigram_match(parsed))):
        if expression is not None:
            fts_connection.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (expression,)).fetchone()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fold_with_offsets_agrees_with_fold(raw):
    folded, offsets = text.fold_with_offsets(raw)
    assert folded == text.fold(raw)
    assert len(offsets) == len(folded) + 1
    assert offsets == sorted(offsets)
    assert all(0 <= offset <= len(raw) for offset in offsets)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fold_is_idempotent(raw):
    assert text.fold(text.fold(raw)) == text.fold(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_query_terms_are_words(raw):
    parsed = text.parse_query(raw)
    for term in parsed.stems + parsed.substrings:
        assert text.WORD_RE.fullmatch(term)
    assert all(len(term) >= text.MIN_TRIGRAM_LENGTH for term in parsed.substrings)


class TestPermissionTokens:
    def test_document_tokens(self):
        from krisenwissen.search import acl

        assert acl.document_acl("oeffentlich", 5) == "aclm5 aclpublic"
        assert acl.document_acl("netzwerk", 5) == "aclm5 acln5"
        assert acl.document_acl("intern", 5) == "aclm5"

    def test_scope_tokens(self):
        from krisenwissen.search import acl

        assert acl.scope_tokens({3, 1}, {7}) == ["aclpublic", "aclm1", "aclm3", "acln7"]
        assert acl.scope_tokens(set(), set()) == ["aclpublic"]

    def test_queries_cannot_address_permission_tokens(self):
        parsed = text.parse_query("aclpublic aclm5 ACLN12 Schutz")
        assert parsed.stems == ("schutz",)
        assert parsed.substrings == ("schutz",)


def test_trigram_permission_tokens_are_three_characters():
    from krisenwissen.search import acl

    for municipality_id in (1, 19_999, 20_000, 39_999_999):
        tokens = acl.document_trigram_acl("netzwerk", municipality_id).split()
        assert len(tokens) == 2 and all(len(token) == 3 for token in tokens)
        assert len(set(tokens)) == 2
    assert acl.document_trigram_acl("oeffentlich", 1).split()[1] == acl.TRIGRAM_PUBLIC_TOKEN
    assert acl.document_trigram_acl("intern", 1) != acl.document_trigram_acl("intern", 20_001)
    assert set(acl.scope_trigram_tokens({1}, {2})) == {
        acl.TRIGRAM_PUBLIC_TOKEN, *acl.document_trigram_acl("intern", 1).split(),
        acl.document_trigram_acl("netzwerk", 2).split()[1],
    }


@given(st.text(max_size=40))
def test_no_query_term_matches_inside_trigram_tokens(raw):
    from krisenwissen.search import acl

    token_text = acl.document_trigram_acl("netzwerk", 12_345) + " " + acl.TRIGRAM_PUBLIC_TOKEN
    for term in text.parse_query(raw).substrings:
        assert term not in token_text
