"""Suggestions per passage: theme from the code book, crisis and phase from dates, kind, places."""

import datetime as dt

from krisenwissen.documents.suggestions import Context, dates_in, kind_of, suggest
from tests import factories as f


def test_dates_and_kind_cues():
    assert dates_in("Am 12.03.2020 und im April 2021") == [dt.date(2020, 3, 12), dt.date(2021, 4, 15)]
    assert kind_of("Es fehlte an Schutzausrüstung, ein echter Engpass.", False) == "herausforderung"
    assert kind_of("Das Bürgertelefon hat sich bewährt.", False) == "gelingensfaktor"
    assert kind_of("Künftig sollte der Stab früher tagen.", False) == "verbesserungspotenzial"
    assert kind_of("Irgendein Satz.", True) == "zitat"


def test_theme_phase_and_places(db, city_a):
    f.CodeFactory(key="kommunikation", name="Krisenkommunikation", description="Bürgertelefon Hotline Presse")
    f.CodeFactory(key="material", name="Schutzausrüstung", description="Masken Handschuhe Beschaffung")
    phase = f.PhaseFactory(name="Erste Welle", start=dt.date(2020, 3, 1), end=dt.date(2020, 5, 31))
    text = "Am 16.03.2020 richtete Stadt A eine Hotline (Bürgertelefon) ein; das Gesundheitsamt beriet."
    result = suggest(text, False, Context())
    assert result["themes"][0]["name"] == "Krisenkommunikation"
    assert result["phase_id"] == phase.pk and result["crisis_id"] == phase.crisis_id
    assert [m["name"] for m in result["municipalities"]] == ["Stadt A"]
    assert [d["key"] for d in result["departments"]] == ["gesundheitsamt"]
