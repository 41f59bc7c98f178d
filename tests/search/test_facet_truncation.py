"""Long facet lists show their top values and a "mehr" link that shows all (issue 19)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.search.indexing import reindex_all
from krisenwissen.search.views import FACET_TOP

from .. import factories as f

CITIES = FACET_TOP + 5


@pytest.fixture
def many_cities(db):
    cities = []
    for number in range(CITIES):
        city = f.MunicipalityFactory(name=f"Ort {number:02d}", ags=f"{70000 + number:05d}")
        # City n has n + 1 public observations, so the top values are the last cities.
        for i in range(number + 1):
            f.ObservationFactory(municipality=city, visibility="oeffentlich", text=f"Beobachtung {number}-{i}")
        cities.append(city)
    reindex_all()
    return cities


def _municipality_boxes(html: str) -> list[str]:
    return re.findall(r'name="municipality" value="(\d+)"', html)


def test_long_facet_is_cut_to_the_top_values_with_a_more_link(client, many_cities):
    html = client.get("/wissen/").content.decode()
    shown = _municipality_boxes(html)
    assert len(shown) == FACET_TOP
    # the most frequent cities, most frequent first
    assert shown == [str(city.pk) for city in reversed(many_cities)][:FACET_TOP]
    assert "mehr anzeigen (5 weitere Werte)" in html
    assert 'alle=municipality' in html


def test_more_shows_every_value(client, many_cities):
    html = client.get("/wissen/?alle=municipality").content.decode()
    assert sorted(_municipality_boxes(html)) == sorted(str(city.pk) for city in many_cities)
    assert "mehr anzeigen" not in html
    # the expanded state survives applying a filter (hidden field of the facet form)
    assert '<input type="hidden" name="alle" value="municipality">' in html


def test_a_selected_value_beyond_the_top_stays_visible(client, many_cities):
    rare = many_cities[0]  # one observation only: not among the top values
    html = client.get(f"/wissen/?municipality={rare.pk}").content.decode()
    # with the filter only that city's item matches; its value is shown and checked
    assert f'name="municipality" value="{rare.pk}"' in html
    assert re.search(rf'value="{rare.pk}" id="[^"]+" checked', html)


def test_unknown_facet_names_in_alle_are_ignored(client, many_cities):
    response = client.get("/wissen/?alle=<script>&alle=code")
    assert response.status_code == 200
    assert len(_municipality_boxes(response.content.decode())) == FACET_TOP


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    counts=st.dictionaries(st.integers(min_value=900_000, max_value=900_040), st.integers(min_value=1, max_value=4), max_size=30),
    chosen=st.sets(st.integers(min_value=900_000, max_value=900_045), max_size=3),
)
def test_the_cut_list_is_the_head_of_the_whole_sorted_list(db, counts, chosen):
    """Only the values that can be shown are labelled; the list shown is exactly what cutting
    the whole sorted list gives (ties at the boundary decided by label), and the number of
    values left out is right."""
    from krisenwissen.search.selectors import _build_facets

    selected = {"municipality": tuple(sorted(chosen))}
    whole, _ = _build_facets({"municipality": counts}, selected)
    cut, hidden = _build_facets({"municipality": counts}, selected, top=FACET_TOP)
    everything = whole["municipality"]
    expected = everything[:FACET_TOP] + [value for value in everything[FACET_TOP:] if value.selected]
    assert cut["municipality"] == expected
    assert hidden["municipality"] == len(everything) - len(expected)
    expanded, none_hidden = _build_facets({"municipality": counts}, selected, top=FACET_TOP, expanded=frozenset({"municipality"}))
    assert expanded["municipality"] == everything and none_hidden["municipality"] == 0
