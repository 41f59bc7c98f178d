"""Fixtures of the search tests: a small knowledge base across three cities, indexed."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.search.indexing import reindex_all

from .. import factories as f


@pytest.fixture
def themes(db):
    """A theme hierarchy: Personal > Personalreserve, and Kommunikation."""
    scheme = f.SchemeFactory(key="themen", name="Themenschwerpunkte")
    personal = f.CodeFactory(scheme=scheme, key="personal", name="Personal")
    reserve = f.CodeFactory(scheme=scheme, key="personalreserve", name="Personalreserve", parent=personal)
    communication = f.CodeFactory(scheme=scheme, key="kommunikation", name="Kommunikation")
    other_scheme = f.SchemeFactory(key="faehigkeiten", name="Fähigkeitselemente")
    capability = f.CodeFactory(scheme=other_scheme, key="fuehrung", name="Führung")
    return SimpleNamespace(personal=personal, reserve=reserve, communication=communication, capability=capability)


def _aged(item, days):
    """Set created_at (auto_now_add) to a fixed age so that newest-first order is known."""
    type(item).objects.filter(pk=item.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    item.refresh_from_db()
    return item


@pytest.fixture
def world(city_a, city_b, city_c, network, themes):
    """Items of cities A and B (one network) and C, at every visibility, then indexed.

    Every item carries a word unique to it ("Codewort<city><visibility>") so tests can
    check exactly which items a scope may find.
    """
    crisis = f.CrisisFactory(title="COVID-19-Pandemie")
    flood = f.CrisisFactory(title="Hochwasser 2021", hazard_type="Hochwasser")
    phase1 = f.PhaseFactory(crisis=crisis, number=1, name="Erste Welle")
    phase2 = f.PhaseFactory(crisis=crisis, number=2, name="Zweite Welle")
    items = SimpleNamespace()
    age = 0
    for city, label in ((city_a, "a"), (city_b, "b"), (city_c, "c")):
        for visibility in ("intern", "netzwerk", "oeffentlich"):
            age += 1
            observation = f.ObservationFactory(
                municipality=city, visibility=visibility, kind="herausforderung",
                text=(f"Die Krisenstäbe in Stadt {label.upper()} brauchten Schutzausrüstung. "
                      f"Codewort{label}{visibility}."),
                crisis=crisis, phase=phase1 if visibility != "oeffentlich" else phase2,
                department_function="krisenstab",
            )
            observation.codes.set([themes.reserve, themes.capability])
            setattr(items, f"obs_{label}_{visibility}", _aged(observation, age))
    items.lesson = _aged(f.LessonFactory(
        municipality=city_a, visibility="oeffentlich", title="Personalreserven früh planen",
        finding="Maßnahmen zur Personalreserve müssen vor der Krise geplant werden.", crisis=crisis,
    ), 20)
    items.lesson.codes.set([themes.personal])
    items.recommendation = _aged(f.RecommendationFactory(
        municipality=city_b, visibility="oeffentlich", title="Krisenkommunikation bündeln",
        text="Eine zentrale Pressestelle für alle Massnahmen der Krisenkommunikation.", crisis=flood,
        department_function="presse",
    ), 21)
    items.recommendation.codes.set([themes.communication])
    items.goodpractice = _aged(f.GoodPracticeFactory(
        municipality=city_c, visibility="oeffentlich", title="Bürgertelefon mit Verwaltungskenntnis",
        problem="Viele Anrufe zur Impfung.", solution="Ein Callcenter mit <b>Verwaltungs</b>wissen.",
    ), 22)
    reindex_all()
    return SimpleNamespace(
        items=items, crisis=crisis, flood=flood, phase1=phase1, phase2=phase2, themes=themes,
        city_a=city_a, city_b=city_b, city_c=city_c,
    )


@pytest.fixture
def reader_c(city_c):
    return f.MembershipFactory(municipality=city_c, role=Role.LESER, user__username="leser-c").user
