"""The shortcuts of large result lists (CSV exports of 10,000 hits) give what the slow path gives."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.search.indexing import reindex_all
from krisenwissen.search.registry import indexed_models
from krisenwissen.search.selectors import _item_url, search

from .. import factories as f


def _slow_url(model, pk: int) -> str:
    try:
        return model(pk=pk).get_absolute_url()
    except NoReverseMatch:
        return ""


@settings(deadline=None)
@given(pk=st.integers(min_value=1, max_value=2**53))
def test_every_kind_links_to_the_same_page_as_its_model(pk):
    for entry in indexed_models():
        assert _item_url(entry.kind, pk) == _slow_url(entry.model, pk), entry.kind


def test_hits_without_snippets_are_the_same_hits(db):
    city = f.MunicipalityFactory()
    for number in range(12):
        f.ObservationFactory(municipality=city, visibility="oeffentlich", text=f"Der Krisenstab tagte {number}. Mal.")
    reindex_all()
    with_snippets = search(AnonymousUser(), text="Krisenstab", per_page=50)
    without = search(AnonymousUser(), text="Krisenstab", per_page=50, facet_top=0, snippets=False)
    assert [(h.kind, h.object_id, h.url, h.visibility_label) for h in without.hits] == [
        (h.kind, h.object_id, h.url, h.visibility_label) for h in with_snippets.hits
    ]
    assert all("<mark>" in h.snippet for h in with_snippets.hits)
    assert all(h.snippet == "" for h in without.hits)
    assert without.total == with_snippets.total == 12


def test_the_csv_export_links_every_row_to_its_item_in_the_chosen_language(client, db):
    city = f.MunicipalityFactory()
    items = [f.ObservationFactory(municipality=city, visibility="oeffentlich", text=f"Hochwasser Pegel {n}") for n in range(3)]
    reindex_all()
    response = client.get("/wissen/?format=csv&q=Hochwasser")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline=""), delimiter=";"))
    urls = sorted(row[-1] for row in rows[1:])
    assert urls == sorted(f"http://testserver{item.get_absolute_url()}" for item in items)
    assert {row[3] for row in rows[1:]} == {"öffentlich"}
    with translation.override("en"):
        english = search(AnonymousUser(), text="Hochwasser", snippets=False)
    assert {hit.visibility_label for hit in english.hits} != {"öffentlich"}
