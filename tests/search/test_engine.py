"""Engine behaviour through get_engine(): matching, ranking, snippets, filters, facets, scope.

Runs against the configured database (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.accounts.selectors import VisibilityScope
from krisenwissen.search.engine import (
    IndexDocument,
    SearchEngine,
    SearchQuery,
    get_engine,
    normalise_filters,
)
from krisenwissen.search.models import SearchDocument, SearchDocumentCode, SearchText

from .. import factories as f

EVERYTHING = VisibilityScope(everything=True)


def run(text="", scope=EVERYTHING, **kwargs):
    return get_engine().search(SearchQuery(text=text, scope=scope, **kwargs))


def hit_keys(result):
    return {(hit.kind, hit.object_id) for hit in result.hits}


def test_configured_engine_matches_database():
    engine = get_engine()
    assert isinstance(engine, SearchEngine)
    expected = {"sqlite": "SqliteSearchEngine", "postgresql": "PostgresSearchEngine"}[connection.vendor]
    assert type(engine).__name__ == expected


class TestMatching:
    def test_stemming_finds_inflections(self, world):
        result = run("Krisenstab", limit=50)
        assert result.total == 9
        assert all("Krisenstäbe" in hit.snippet for hit in result.hits)

    @pytest.mark.parametrize("query", ["Krisenstäbe", "Krisenstaebe", "KRISENSTAEBE", "krisenstäben"])
    def test_umlaut_spellings(self, world, query):
        assert run(query).total == 9

    @pytest.mark.parametrize("query", ["Maßnahme", "Massnahme", "Massnahmen", "MASSNAHMEN"])
    def test_sharp_s_spellings(self, world, query):
        assert hit_keys(run(query)) == {("lesson", world.items.lesson.pk), ("recommendation", world.items.recommendation.pk)}

    def test_compound_prefix_and_infix(self, world):
        assert run("Schutz").total == 9
        assert run("ausrüstung").total == 9
        assert run("Ausruestung").total == 9
        result = run("Kommunikation")
        assert hit_keys(result) == {("recommendation", world.items.recommendation.pk)}

    def test_all_terms_must_match(self, world):
        assert run("Krisenstab Codewortaintern").total == 1
        assert run("Krisenstab Hochwasserpumpe").total == 0

    def test_short_terms(self, world):
        # "Stadt A" – "a" is shorter than a trigram and only matched as a word.
        assert run("Stadt A").total == 3
        assert run("zz").total == 0

    def test_title_ranks_above_body(self, world):
        doc = f.ObservationFactory(municipality=world.city_a, visibility="oeffentlich", text="Telefon")
        from krisenwissen.search.indexing import index_object
        index_object(doc)
        result = run("Bürgertelefon")
        assert result.hits[0].kind == "goodpractice"

    def test_snippet_highlights_and_escapes(self, world):
        hit = run("Callcenter").hits[0]
        assert "&lt;b&gt;" in hit.snippet
        assert "<b>" not in hit.snippet
        hit = run("Schutz").hits[0]
        assert "<mark>Schutz</mark>ausrüstung" in hit.snippet

    @pytest.mark.parametrize("query", [
        '"', '""', "'", "*", "Krisen*", "NEAR(Krisenstab Schutz)", "Krisenstab AND", "OR OR",
        "(", ")", "-Schutz", "^Schutz", "title:Schutz", "{Schutz}", "\x00", "%", "_", "%%schutz%%",
        "a" * 10_000, "Krisenstab " * 2000,
    ])
    def test_hostile_input_never_raises(self, world, query):
        run(query)

    def test_only_punctuation_finds_nothing(self, world):
        result = run("***")
        assert result.total == 0 and result.hits == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_fuzzed_queries_never_raise(world, query):
    result = run(query)
    assert result.total >= len(result.hits)


class TestBrowseAndPaging:
    def test_browse_lists_all_newest_first(self, world):
        result = run("", limit=100)
        assert result.total == 12
        created = [hit.created_at for hit in result.hits]
        assert created == sorted(created, reverse=True)

    def test_paging(self, world):
        first = run("", limit=5)
        second = run("", limit=5, offset=5)
        assert len(first.hits) == 5 and len(second.hits) == 5
        assert not hit_keys(first) & hit_keys(second)
        assert run("", limit=5, offset=100).hits == []


class TestFilters:
    def test_kind(self, world):
        assert run("", filters={"kind": ["lesson", "recommendation"]}).total == 2

    def test_observation_kind(self, world):
        assert run("", filters={"observation_kind": ["herausforderung"]}).total == 9
        assert run("", filters={"observation_kind": ["zitat"]}).total == 0

    def test_theme_matches_descendants(self, world):
        personal = world.themes.personal.pk
        # Observations are coded with the child "Personalreserve", the lesson with the parent.
        assert run("", filters={"theme": [personal]}).total == 10
        assert run("", filters={"theme": [str(world.themes.reserve.pk)]}).total == 9

    def test_code(self, world):
        assert run("", filters={"code": [world.themes.capability.pk]}).total == 9

    def test_phase_crisis_municipality_department(self, world):
        assert run("", filters={"phase": [world.phase2.pk]}).total == 3
        assert run("", filters={"crisis": [world.flood.pk]}).total == 1
        assert run("", filters={"municipality": [world.city_c.pk]}).total == 4
        assert run("", filters={"department_function": ["presse"]}).total == 1

    def test_filters_combine_with_text(self, world):
        assert run("Krisenstab", filters={"municipality": [world.city_a.pk], "phase": [world.phase1.pk]}).total == 2

    def test_invalid_values_match_nothing(self, world):
        assert run("", filters={"phase": ["keine-zahl"]}).total == 0
        assert run("", filters={"unbekannt": ["x"]}).total == 12

    def test_normalise_filters(self):
        assert normalise_filters({"phase": ["1", "x", 2], "kind": "lesson", "other": [1]}) == {
            "phase": (1, 2), "kind": ("lesson",),
        }


class TestFacets:
    def test_counts_over_matches(self, world):
        facets = run("Krisenstab").facets
        assert facets["kind"] == {"observation": 9}
        assert facets["observation_kind"] == {"herausforderung": 9}
        assert facets["municipality"] == {world.city_a.pk: 3, world.city_b.pk: 3, world.city_c.pk: 3}
        assert facets["phase"] == {world.phase1.pk: 6, world.phase2.pk: 3}
        assert facets["crisis"] == {world.crisis.pk: 9}
        assert facets["department_function"] == {"krisenstab": 9}
        # Ancestors count too; the capability code is not a theme.
        assert facets["theme"] == {world.themes.reserve.pk: 9, world.themes.personal.pk: 9}
        assert facets["code"][world.themes.capability.pk] == 9

    def test_browse_facets(self, world):
        facets = run("").facets
        assert facets["kind"] == {"observation": 9, "lesson": 1, "recommendation": 1, "goodpractice": 1}
        assert facets["theme"][world.themes.personal.pk] == 10

    def test_facets_respect_filters(self, world):
        facets = run("", filters={"municipality": [world.city_a.pk]}).facets
        assert facets["municipality"] == {world.city_a.pk: 4}


def _codewords(result):
    return {word for hit in result.hits for word in hit.snippet.replace("<mark>", "").replace("</mark>", "").split() if word.startswith("Codewort")}


class TestScope:
    """Nobody sees a hit, snippet or facet count of an item outside their scope."""

    ALL = {f"Codewort{c}{v}." for c in "abc" for v in ("intern", "netzwerk", "oeffentlich")}

    def expect(self, scope, visible):
        result = run("Codewort", scope=scope, limit=50)
        assert _codewords(result) == visible
        assert result.total == len(visible)
        assert sum(result.facets["municipality"].values()) == len(visible)
        assert sum(result.facets["kind"].values()) == len(visible)
        return result

    def test_anonymous(self, world):
        self.expect(VisibilityScope(), {"Codewortaoeffentlich.", "Codewortboeffentlich.", "Codewortcoeffentlich."})

    def test_network_member(self, world, reader_a):
        from krisenwissen.accounts.selectors import visibility_scope
        scope = visibility_scope(reader_a)
        self.expect(scope, {
            "Codewortaintern.", "Codewortanetzwerk.", "Codewortaoeffentlich.",
            "Codewortbnetzwerk.", "Codewortboeffentlich.", "Codewortcoeffentlich.",
        })

    def test_other_city(self, world, reader_c):
        from krisenwissen.accounts.selectors import visibility_scope
        self.expect(visibility_scope(reader_c), {
            "Codewortcintern.", "Codewortcnetzwerk.", "Codewortcoeffentlich.",
            "Codewortaoeffentlich.", "Codewortboeffentlich.",
        })

    def test_superuser(self, world, admin_user):
        from krisenwissen.accounts.selectors import visibility_scope
        self.expect(visibility_scope(admin_user), self.ALL)

    def test_hidden_item_is_invisible_in_every_way(self, world):
        scope = VisibilityScope()
        for query in ("Codewortbintern", "Codewortbinte", ""):
            result = run(query, scope=scope, filters={"municipality": [world.city_b.pk], "phase": [world.phase1.pk]})
            assert result.total == 0 and result.hits == []
            assert all(not counts for counts in result.facets.values())

    def test_network_scope_without_own(self, world):
        scope = VisibilityScope(network=frozenset({world.city_b.pk}))
        self.expect(scope, {"Codewortaoeffentlich.", "Codewortboeffentlich.", "Codewortcoeffentlich.", "Codewortbnetzwerk."})


class TestIndexApi:
    def _doc(self, city, object_id=999_001, title="Deichverteidigung", body="Sandsäcke am Deich"):
        from django.utils import timezone
        return IndexDocument(
            kind="observation", object_id=object_id, municipality_id=city.pk, visibility="oeffentlich",
            title=title, body=body, created_at=timezone.now(),
        )

    def test_index_replaces_and_remove_deletes(self, city_a):
        engine = get_engine()
        engine.index([self._doc(city_a)])
        assert run("Sandsack").total == 1
        engine.index([self._doc(city_a, body="Pumpen im Keller")])
        assert run("Sandsack").total == 0
        assert run("Pumpe").total == 1
        assert SearchDocument.objects.count() == 1
        assert engine.remove([("observation", 999_001)]) == 1
        assert run("Pumpe").total == 0
        assert SearchText.objects.count() == 0

    def test_clear(self, world):
        get_engine().clear()
        assert run("").total == 0
        assert run("Krisenstab").total == 0
        assert not SearchDocumentCode.objects.exists()

    def test_batches(self, city_a):
        engine = get_engine()
        assert engine.index(self._doc(city_a, object_id=n, title=f"Pegel {n}") for n in range(1, 1203)) == 1202
        assert run("Pegel").total == 1202
        assert engine.remove(("observation", n) for n in range(1, 1203)) == 1202
        assert run("Pegel").total == 0


def test_permission_tokens_are_not_searchable(world):
    from krisenwissen.search import acl

    assert run("aclpublic").total == 0
    assert run(acl.TRIGRAM_PUBLIC_TOKEN).total == 0
    assert run("pub").total == 0
    assert run(f"aclm{world.city_b.pk}", scope=VisibilityScope()).total == 0


class TestBrowseCounts:
    """Unfiltered browse mode counts from cached (municipality, visibility) buckets."""

    def _row_based(self, scope):
        # A filter that excludes nothing forces the row-by-row path.
        return run("", scope=scope, filters={"kind": ["observation", "lesson", "recommendation", "goodpractice"]})

    def test_buckets_agree_with_row_counts_for_every_scope(self, world, reader_a, reader_c):
        from krisenwissen.accounts.selectors import visibility_scope
        from krisenwissen.search.backends import base

        run("")  # the first request of an index generation is answered row by row
        for scope in (VisibilityScope(), visibility_scope(reader_a), visibility_scope(reader_c), EVERYTHING):
            bucketed, counted = run("", scope=scope), self._row_based(scope)
            assert base._browse_memo[1] is not None  # answered from the buckets
            assert bucketed.total == counted.total
            assert bucketed.facets == counted.facets
            assert hit_keys(bucketed) == hit_keys(counted)

    def test_counts_follow_index_changes(self, world):
        from krisenwissen.search.indexing import index_object, remove_object
        anonymous = VisibilityScope()
        before = run("", scope=anonymous)
        item = world.items.obs_b_intern
        item.visibility = "oeffentlich"
        item.save()
        index_object(item)
        after = run("", scope=anonymous)
        assert after.total == before.total + 1
        assert after.facets["municipality"][world.city_b.pk] == before.facets["municipality"][world.city_b.pk] + 1
        remove_object(item)
        assert run("", scope=anonymous).total == before.total


def test_stem_and_substring_only_matches_respect_scope_and_filters(city_a, city_b):
    """Whole-word and substring-only matches of one query are counted once each, and only
    if the scope may read them and the filters admit them (the engines read the rows of the
    two kinds of matches in different ways)."""
    from django.utils import timezone

    docs = []
    for number, (city, visibility, item_kind, body) in enumerate([
        (city_a, "intern", "herausforderung", "Schutz der Bevölkerung"),
        (city_a, "intern", "loesung", "Schutzausrüstung verteilt"),
        (city_a, "oeffentlich", "herausforderung", "Hochwasserschutz geplant"),
        (city_b, "intern", "herausforderung", "Schutzmasken bestellt"),
        (city_b, "intern", "herausforderung", "Schutz der Kliniken"),
        (city_b, "netzwerk", "loesung", "Brandschutzkonzept erstellt"),
        (city_b, "oeffentlich", "loesung", "Schutz und Hilfe"),
    ], start=1):
        docs.append(IndexDocument(
            kind="observation", object_id=990_000 + number, municipality_id=city.pk, visibility=visibility,
            title=f"Eintrag {number}", body=body, created_at=timezone.now(), item_kind=item_kind,
        ))
    get_engine().index(docs)
    scope = VisibilityScope(own=frozenset({city_a.pk}))
    readable = [doc for doc in docs if doc.municipality_id == city_a.pk or doc.visibility == "oeffentlich"]
    for filters, expected in (
        ({}, readable),
        ({"observation_kind": ["herausforderung"]}, [doc for doc in readable if doc.item_kind == "herausforderung"]),
    ):
        result = run("Schutz", scope=scope, filters=filters, limit=50)
        assert {hit.object_id for hit in result.hits} == {doc.object_id for doc in expected}
        assert result.total == len(expected)
        assert result.facets["observation_kind"] == {
            kind: sum(doc.item_kind == kind for doc in expected) for kind in {doc.item_kind for doc in expected}
        }
        assert result.facets["municipality"] == {
            city: sum(doc.municipality_id == city for doc in expected) for city in {doc.municipality_id for doc in expected}
        }


class TestQuestions:
    """A question of three or more content words also finds items that share only some of
    its words (at least two), ranked below none of the rules of scope and filters."""

    QUESTION = "Wie gehen wir mit erschöpften Mitarbeitenden im Quarkwerk um?"

    @staticmethod
    def index(city, text, visibility="oeffentlich"):
        from krisenwissen.search.indexing import index_object

        item = f.ObservationFactory(municipality=city, visibility=visibility, text=text)
        index_object(item)
        return item

    def test_a_question_finds_an_item_sharing_some_of_its_words(self, world):
        answer = self.index(world.city_a, "Erschöpfte Mitarbeitende brauchen feste Pausen.")
        result = run(self.QUESTION)
        assert ("observation", answer.pk) in hit_keys(result)
        assert result.total == 1
        assert "<mark>Erschöpfte</mark>" in result.hits[0].snippet

    def test_one_shared_word_is_not_enough(self, world):
        self.index(world.city_a, "Erschöpfte Pumpen im Keller.")
        assert run(self.QUESTION).total == 0

    def test_two_word_queries_keep_requiring_every_word(self, world):
        self.index(world.city_a, "Erschöpfte Mitarbeitende brauchen feste Pausen.")
        assert run("erschöpfte Quarkwerker").total == 0

    def test_items_sharing_more_words_rank_first(self, world):
        partly = self.index(world.city_a, "Erschöpfte Mitarbeitende brauchen feste Pausen.")
        fully = self.index(world.city_a, "Im Quarkwerk waren die Mitarbeitenden erschöpft.")
        result = run(self.QUESTION)
        assert [hit.object_id for hit in result.hits] == [fully.pk, partly.pk]

    def test_question_hits_respect_the_scope(self, world):
        hidden = self.index(world.city_c, "Erschöpfte Mitarbeitende brauchen feste Pausen.", visibility="intern")
        shown = self.index(world.city_a, "Erschöpfte Mitarbeitende und Pausenräume.", visibility="netzwerk")
        scope = VisibilityScope(network=frozenset({world.city_a.pk}))
        result = run(self.QUESTION, scope=scope)
        assert hit_keys(result) == {("observation", shown.pk)}
        assert result.total == 1 and sum(result.facets["municipality"].values()) == 1
        assert ("observation", hidden.pk) in hit_keys(run(self.QUESTION))
