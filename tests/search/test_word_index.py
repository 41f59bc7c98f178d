"""Substring matching: every document whose folded text contains every term, and no other.

The SQLite engine answers a substring through the vocabulary and the word index where it can
and through the trigram index otherwise (``backends/sqlite.py``); both paths must give what
a plain ``term in folded text`` gives, for words of any alphabet around any separator. On
PostgreSQL the same oracle checks its ``LIKE`` path.
"""

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from krisenwissen.accounts.selectors import VisibilityScope
from krisenwissen.search.engine import IndexDocument, SearchQuery, get_engine
from krisenwissen.search.models import SearchDocument, SearchWord
from krisenwissen.search.text import folded_text, parse_query

EVERYTHING = VisibilityScope(everything=True)
SQLITE = connection.vendor == "sqlite"

# Pieces of words: German syllables, umlauts and ß in both spellings, digits, letters the
# word tokenizer and Python might see differently (Greek, dotless i, private use, combining
# accent) and separators.
PIECES = [
    "schutz", "krisen", "stab", "ung", "maß", "nahme", "masse", "ä", "ae", "ö", "ü", "ß", "é", "e\u0301",
    "ı", "ω", "\ue000", "7", "42", "-", "_", ".", " ", "/", "infektions", "zentrum", "test",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join)


def _doc(city, object_id, title, body):
    return IndexDocument(
        kind="observation", object_id=object_id, municipality_id=city.pk, visibility="oeffentlich",
        title=title, body=body, created_at=timezone.now(),
    )


def _index(city, documents):
    engine = get_engine()
    engine.clear()
    engine.index(_doc(city, number, title, body) for number, (title, body) in enumerate(documents, start=1))
    return engine


def _expected(documents, terms) -> set[int]:
    """Object ids of the documents whose folded title or body contains each term."""
    return {
        number for number, (title, body) in enumerate(documents, start=1)
        if all(term in folded_text(title) or term in folded_text(body) for term in terms)
    }


def _substring_object_ids(engine, query) -> set[int]:
    matches = engine.text_candidates(query, EVERYTHING, "1=1", [])
    ids = dict(SearchDocument.objects.values_list("id", "object_id"))
    return {ids[doc_id] for doc_id in matches.substring_ids}


@settings(max_examples=int(__import__("os").environ.get("WI_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=st.lists(st.tuples(texts, texts), min_size=1, max_size=6), data=st.data())
def test_substrings_match_exactly_the_documents_containing_them(city_a, documents, data, monkeypatch):
    # Half of the queries are cut out of a document, so that many of them match something.
    source = data.draw(st.sampled_from([text for pair in documents for text in pair]))
    start = data.draw(st.integers(0, len(source)))
    query_text = data.draw(st.one_of(texts, st.just(source[start:start + data.draw(st.integers(3, 12))])))
    query = parse_query(query_text)
    assume(query.substrings and not query.short_stems)
    engine = _index(city_a, documents)
    expected = _expected(documents, query.substrings)
    event("some documents match" if expected else "no document matches")
    if SQLITE:
        substring = engine.substring_match(query, EVERYTHING)
        event(f"path: {substring[0] if substring else 'no word contains a term'}")
    assert _substring_object_ids(engine, query) == expected
    if SQLITE:
        # The trigram path on its own gives the same documents.
        monkeypatch.setattr(engine, "words_containing", lambda term: None)
        assert _substring_object_ids(engine, query) == expected
        monkeypatch.undo()
    # Removing documents must never drop a word the others still contain.
    removed = data.draw(st.sets(st.integers(1, len(documents))))
    engine.remove([("observation", number) for number in removed])
    remaining = [pair if number not in removed else ("", "") for number, pair in enumerate(documents, start=1)]
    assert _substring_object_ids(engine, query) == _expected(remaining, query.substrings) - removed


class TestWordIndex:
    """What users notice on every engine; how the SQLite engine gets there (``if SQLITE``)."""

    def test_a_compound_is_found_through_the_vocabulary(self, city_a):
        engine = _index(city_a, [("Infektionsschutzgesetz", "Die Schutzausrüstung fehlte."), ("Stab", "Deich")])
        if SQLITE:
            assert engine.substring_match(parse_query("schutz"), EVERYTHING)[0] == "search_fts_words"
            assert engine.substring_match(parse_query("gibtesnicht"), EVERYTHING) is None
        assert {hit.object_id for hit in engine.search(SearchQuery(text="schutz", scope=EVERYTHING)).hits} == {1}
        assert engine.search(SearchQuery(text="gibtesnicht", scope=EVERYTHING)).total == 0

    def test_a_word_of_other_letters_is_matched_by_trigrams(self, city_a):
        engine = _index(city_a, [("Zone", "Schutzωzone am Fluss")])
        if SQLITE:
            assert engine.substring_match(parse_query("schutz"), EVERYTHING)[0] == "search_fts_trigram"
        assert engine.search(SearchQuery(text="schutz", scope=EVERYTHING)).total == 1

    def test_a_term_in_very_many_words_is_matched_by_trigrams(self, city_a, monkeypatch):
        from krisenwissen.search.backends import sqlite

        monkeypatch.setattr(sqlite, "MAX_WORD_EXPANSION", 2)
        engine = _index(city_a, [("Deich", "Schutzwall Schutzzone Schutzraum"), ("Stab", "Hitzeschutz")])
        if SQLITE:
            assert engine.substring_match(parse_query("schutz"), EVERYTHING)[0] == "search_fts_trigram"
        assert engine.search(SearchQuery(text="schutz", scope=EVERYTHING)).total == 2

    def test_the_scope_applies_on_the_word_path(self, city_a, city_b):
        engine = get_engine()
        engine.clear()
        engine.index([
            IndexDocument(kind="observation", object_id=1, municipality_id=city_a.pk, visibility="intern",
                          title="Hochwasserschutz", body="", created_at=timezone.now()),
            IndexDocument(kind="observation", object_id=2, municipality_id=city_b.pk, visibility="oeffentlich",
                          title="Hochwasserschutz", body="", created_at=timezone.now()),
        ])
        outsider = VisibilityScope(own=frozenset({city_b.pk}))
        if SQLITE:
            assert engine.substring_match(parse_query("wasserschutz"), outsider)[0] == "search_fts_words"
        result = engine.search(SearchQuery(text="wasserschutz", scope=outsider))
        assert [hit.object_id for hit in result.hits] == [2] and result.total == 1

    def test_vocabulary_follows_writes_removals_and_clear(self, city_a):
        def vocabulary():
            return set(SearchWord.objects.values_list("word", flat=True))

        def found(text):
            return engine.search(SearchQuery(text=text, scope=EVERYTHING)).total

        engine = _index(city_a, [("Pegelmessung", "Sandsäcke"), ("Sandsäcke", "Frau Geheimname meldet Schutzωzone")])
        if SQLITE:
            assert vocabulary() == {"pegelmessung", "sandsacke", "frau", "geheimname", "meldet", "schutzωzone"}
        # A changed text: its new words come, the words no text contains any more go.
        engine.index([_doc(city_a, 1, "Deichbruch", "Sandsäcke")])
        if SQLITE:
            assert vocabulary() == {"deichbruch", "sandsacke", "frau", "geheimname", "meldet", "schutzωzone"}
        assert found("messung") == 0 and found("bruch") == 1
        # An erased item takes its words along (a name must not stay behind), shared ones stay.
        engine.remove([("observation", 2)])
        assert vocabulary() == ({"deichbruch", "sandsacke"} if SQLITE else set())
        assert found("geheim") == 0 and found("sandsack") == 1
        engine.clear()
        assert not SearchWord.objects.exists() and found("sandsack") == 0


@pytest.mark.django_db(transaction=True)
def test_migration_collects_the_words_of_an_existing_index(city_a):
    """An installation upgraded with an index in place finds substrings through the new word
    index at once, without a reindex (and the migration can be reversed)."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("search", "0007_search_vectors")], [("search", "0008_word_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    document = old.get_model("search", "SearchDocument").objects.create(
        kind="observation", object_id=7, municipality_id=city_a.pk, visibility="oeffentlich",
        title="Deichverteidigung", created_at=timezone.now(),
    )
    old.get_model("search", "SearchText").objects.create(
        document_id=document.pk, body="Sandsackbefüllung", title_folded="deichverteidigung",
        body_folded=folded_text("Sandsackbefüllung"), title_stemmed="deichverteid", body_stemmed="sandsackbefull",
        acl="", acl_trigram="",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    engine = get_engine()
    if SQLITE:
        assert set(SearchWord.objects.values_list("word", flat=True)) == {"deichverteidigung", "sandsackbefullung"}
        assert engine.substring_match(parse_query("befullung"), EVERYTHING)[0] == "search_fts_words"
    assert engine.search(SearchQuery(text="befüllung", scope=EVERYTHING)).total == 1
