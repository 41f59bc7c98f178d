"""Indexing: documents built from the four knowledge models and signal-driven updates."""

import pytest

from krisenwissen.accounts.selectors import VisibilityScope
from krisenwissen.knowledge.search_index import code_ancestor_map
from krisenwissen.search.engine import SearchQuery, get_engine
from krisenwissen.search.indexing import build_document, reindex_all
from krisenwissen.search.models import SearchDocument

from .. import factories as f

EVERYTHING = VisibilityScope(everything=True)


def total(text="", scope=EVERYTHING, **kwargs):
    return get_engine().search(SearchQuery(text=text, scope=scope, **kwargs)).total


def test_build_document_for_each_model(city_a, themes):
    crisis = f.CrisisFactory()
    phase = f.PhaseFactory(crisis=crisis)
    observation = f.ObservationFactory(municipality=city_a, kind="zitat", crisis=crisis, phase=phase,
                                       department_function="feuerwehr", visibility="netzwerk")
    observation.codes.set([themes.reserve])
    doc = build_document(observation)
    assert doc.kind == "observation" and doc.object_id == observation.pk
    assert doc.item_kind == "zitat"
    assert doc.body == observation.text and doc.title == observation.display_title
    assert (doc.crisis_id, doc.phase_id, doc.department_function) == (crisis.pk, phase.pk, "feuerwehr")
    assert doc.code_ids == {themes.reserve.pk, themes.personal.pk}
    assert doc.visibility == "netzwerk" and doc.municipality_id == city_a.pk

    lesson = f.LessonFactory(municipality=city_a, finding="Befund", cause="Ursache")
    assert build_document(lesson).body == "Befund\nUrsache"
    assert build_document(lesson).item_kind == ""
    recommendation = f.RecommendationFactory(municipality=city_a, title="Empfehlung X")
    assert build_document(recommendation).title == "Empfehlung X"
    practice = f.GoodPracticeFactory(municipality=city_a, results="Ergebnis")
    assert "Ergebnis" in build_document(practice).body


def test_code_ancestor_map(themes):
    ancestors = code_ancestor_map()
    assert ancestors[themes.reserve.pk] == {themes.reserve.pk, themes.personal.pk}
    assert ancestors[themes.personal.pk] == {themes.personal.pk}


def test_reindex_all_counts(city_a):
    f.ObservationFactory.create_batch(3, municipality=city_a)
    f.LessonFactory(municipality=city_a)
    assert reindex_all() == {"observation": 3, "lesson": 1, "recommendation": 0, "goodpractice": 0, "person": 0, "passage": 0}
    assert SearchDocument.objects.count() == 4
    assert reindex_all()["observation"] == 3
    assert SearchDocument.objects.count() == 4


class TestSignals:
    def test_save_indexes_after_commit(self, city_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            observation = f.ObservationFactory(municipality=city_a, text="Deichverteidigung mit Sandsäcken")
            # Not in the index before the transaction commits.
            assert total("Sandsack") == 0
        assert callbacks
        assert total("Sandsack") == 1
        with django_capture_on_commit_callbacks(execute=True):
            observation.text = "Pumpen im Keller"
            observation.save()
        assert total("Sandsack") == 0
        assert total("Pumpe") == 1

    def test_visibility_change_updates_scope(self, city_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            observation = f.ObservationFactory(municipality=city_a, text="Sirenen", visibility="intern")
        assert total("Sirenen", scope=VisibilityScope()) == 0
        with django_capture_on_commit_callbacks(execute=True):
            observation.visibility = "oeffentlich"
            observation.save(update_fields=["visibility", "updated_at"])
        assert total("Sirenen", scope=VisibilityScope()) == 1

    def test_delete_removes(self, city_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            lesson = f.LessonFactory(municipality=city_a, title="Lagezentrum")
        assert total("Lagezentrum") == 1
        with django_capture_on_commit_callbacks(execute=True):
            lesson.delete()
        assert total("Lagezentrum") == 0
        assert not SearchDocument.objects.exists()

    def test_code_changes_update_theme_filter(self, city_a, themes, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            practice = f.GoodPracticeFactory(municipality=city_a)
        assert total(filters={"theme": [themes.personal.pk]}) == 0
        with django_capture_on_commit_callbacks(execute=True):
            practice.codes.add(themes.reserve)
        assert total(filters={"theme": [themes.personal.pk]}) == 1
        with django_capture_on_commit_callbacks(execute=True):
            practice.codes.clear()
        assert total(filters={"theme": [themes.personal.pk]}) == 0

    def test_rolled_back_save_is_not_indexed(self, city_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            f.RecommendationFactory(municipality=city_a, title="Notstrom")
        # The callbacks were registered but never run (as on rollback).
        assert callbacks
        assert total("Notstrom") == 0

    def test_index_errors_do_not_break_saving(self, city_a, django_capture_on_commit_callbacks, monkeypatch, caplog):
        def broken_engine():
            raise RuntimeError("kaputt")

        monkeypatch.setattr("krisenwissen.search.indexing.get_engine", broken_engine)
        with django_capture_on_commit_callbacks(execute=True):
            f.ObservationFactory(municipality=city_a)
        assert "Suchindex" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_real_commit_indexes(city_a):
    f.ObservationFactory(municipality=city_a, text="Trinkwasserversorgung gesichert")
    assert total("Trinkwasser") == 1
