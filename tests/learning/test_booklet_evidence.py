"""The booklet of recommendations gives the evidence strength published with each recommendation
to readers who cannot see the evidence itself (issue 14)."""

import pytest
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.knowledge import actions

from .. import factories as f


@pytest.fixture
def redaktion_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user


def test_booklet_gives_the_published_evidence_strength(client, city_a, city_b, city_c, network, redaktion_a,
                                                       contributor_a):
    own = f.ObservationFactory(municipality=city_a, visibility="intern", text="Interne Beobachtung A.")
    partner = f.ObservationFactory(municipality=city_b, visibility="netzwerk", text="Netzwerk-Beobachtung B.")
    lesson = f.LessonFactory(municipality=city_a, visibility="intern")
    lesson.observations.add(own, partner)
    rec = f.RecommendationFactory(municipality=city_a, visibility="intern", title="Lagezentrum früh einrichten")
    rec.lessons.add(lesson)
    actions.do_confirm_publication(actions.do_request_publication(rec, "oeffentlich", acting_user=contributor_a),
                                   acting_user=redaktion_a)
    outsider = f.MembershipFactory(municipality=city_c, role=Role.LESER, user__username="leser-c").user
    client.force_login(outsider)
    page = client.get(reverse("learning:booklet")).content.decode()
    assert "in 2 von 3 Städten belegt" in page
