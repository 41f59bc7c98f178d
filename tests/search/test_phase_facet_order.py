"""The phase facet lists phases in their order, not by count (issue 14)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from krisenwissen.search.indexing import reindex_all
from krisenwissen.search.selectors import search

from .. import factories as f


def test_phase_facet_is_sorted_by_phase_order_not_by_count(city_a, themes):
    crisis = f.CrisisFactory(title="COVID-19-Pandemie")
    phases = [f.PhaseFactory(crisis=crisis, number=n, name=name)
              for n, name in ((1, "Erste Welle"), (2, "Zweite Welle"), (3, "Dritte Welle"))]
    for phase, count in zip(phases, (1, 2, 4), strict=True):  # the last phase has the most items
        for i in range(count):
            f.ObservationFactory(municipality=city_a, visibility="oeffentlich", kind="herausforderung",
                                 text=f"Beobachtung {phase.number}-{i}", crisis=crisis, phase=phase)
    reindex_all()
    page = search(AnonymousUser())
    facet = page.facets["phase"]
    assert [entry.label for entry in facet] == [
        "1. Erste Welle (COVID-19-Pandemie)", "2. Zweite Welle (COVID-19-Pandemie)",
        "3. Dritte Welle (COVID-19-Pandemie)"]
    assert [entry.count for entry in facet] == [1, 2, 4]
    # the other facets stay sorted by count
    assert [entry.count for entry in page.facets["kind"]] == sorted(
        (entry.count for entry in page.facets["kind"]), reverse=True)
