"""The demo fortnight of the Essen staff: a holding chain with one correction, loaded once."""

import pytest

from krisenwissen.stab import etb_demo
from krisenwissen.stab.etb_selectors import verify
from krisenwissen.stab.models import LogCategory, LogEntry

from .factories import make_staff

pytestmark = pytest.mark.django_db


def test_demo_fortnight_with_one_correction():
    staff, users = make_staff(members=("leitung", "s1", "s2", "s4"), name="Krisenstab Essen (Demo)")
    count = etb_demo.load(staff, acting_user=users["leitung"])
    assert count == len(etb_demo.ENTRIES) + 1
    assert LogEntry.objects.filter(staff=staff, category=LogCategory.KORREKTUR).count() == 1
    days = {d.date() for d in LogEntry.objects.filter(staff=staff).values_list("event_at", flat=True)}
    assert len(days) == 14 and verify(staff=staff).holds
    assert set(LogEntry.objects.filter(staff=staff).values_list("author_function", flat=True)) >= {"Leitung", "S2 Lage"}
    assert etb_demo.load(staff, acting_user=users["leitung"]) == 0
