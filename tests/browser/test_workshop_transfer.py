"""Board → knowledge base in the browser (issue 15, "Done when" 2).

A facilitator of an invited municipality (Moderation Düsseldorf) transfers a workshop with
cards from three cities. The rule that lets her take all three: the workshop's sharing
agreement (``Workshop.transfer_scope`` = "moderation", set by the host's Moderation) lets every
facilitator of the workshop take every card, each into the knowledge base of the card's own
city, at the agreed visibility (here: Netzwerk, so the three cities read each other's evidence).
Each city's observations belong to that city and carry workshop phase, question, crisis phase
and codes; the recommendation shows "in 3 von 3 Städten beobachtet"; a second transfer adds
nothing; axe finds nothing at 1280 and 375 px.
"""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, assert_accessible, login, url


@pytest.fixture
def three(transactional_db, live_server):
    from ..workshops import three_cities

    return three_cities.build()


def _counts():
    from krisenwissen.knowledge.models import Lesson, Observation, Recommendation

    return Observation.objects.count(), Lesson.objects.count(), Recommendation.objects.count()


def test_invited_facilitator_transfers_three_cities(page, three):
    from krisenwissen.knowledge.models import Observation, Recommendation
    from krisenwissen.workshops.models import CardTransfer

    from ..workshops.three_cities import PASSWORD

    workshop = three["workshop"]
    login(page, "moderation.duesseldorf", PASSWORD)
    page.goto(url("workshops:knowledge", workshop.pk))
    page.get_by_role("heading", name="Vom Board in die Wissensbasis").wait_for()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)

    for cluster in (three["finding"], three["idea"]):
        page.locator(f"#tc-{cluster.pk}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("6 neue Beobachtungen").wait_for()
    assert _counts() == (6, 2, 1)

    # Each card is an observation of its own city, with its provenance.
    cities = {"e1": "Essen", "d1": "Dortmund", "s1": "Düsseldorf", "e2": "Essen", "d2": "Dortmund", "s2": "Düsseldorf"}
    for key, city in cities.items():
        obs = CardTransfer.objects.select_related("observation__municipality").get(card=three["cards"][key]).observation
        assert obs.municipality.name == city
        assert obs.workshop_phase and obs.workshop_question and obs.phase_id
        assert {"pandemie", "zusammenarbeit"} <= set(obs.codes.values_list("key", flat=True))
    dortmund_obs = CardTransfer.objects.get(card=three["cards"]["d1"]).observation
    page.goto(url("knowledge:observation_detail", dortmund_obs.pk))
    meta = page.locator("dl.meta-list")
    for text in ("Dortmund", "Deskriptive Phase", three["q_desc"].text, "Schutz & Weiterbetrieb", "Pandemie",
                 "Personaleinsatz und Belastung"):
        assert text in meta.inner_text(), text
    assert_accessible(page)

    # The recommendation shows its evidence across the three cities.
    recommendation = Recommendation.objects.get()
    page.goto(url("knowledge:recommendation_detail", recommendation.pk))
    page.get_by_text("in 3 von 3 Städten beobachtet").first.wait_for()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)

    # A second transfer adds nothing.
    page.goto(url("workshops:knowledge", workshop.pk))
    assert page.get_by_text("Bereits übernommen als:").count() == 2
    for cluster in (three["finding"], three["idea"]):
        page.locator(f"#tc-{cluster.pk}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("0 neue Beobachtungen, 0 neue Erkenntnisse, 0 neue Handlungsempfehlungen").wait_for()
    assert _counts() == (6, 2, 1)
    assert Observation.objects.filter(municipality__name="Dortmund").count() == 2
