"""The demo fortnight: one person visibly overloaded, shown as of the last day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from krisenwissen.stab import load_demo
from krisenwissen.stab import load_selectors as sel
from krisenwissen.stab.models import AssignmentRole, FunctionGroup, Presence, Shift, StrainAnswer
from tests import factories as f

from .helpers import add_function, assign, make_staff

pytestmark = pytest.mark.django_db


def test_demo_fortnight_shows_one_overloaded_person(client):
    staff = make_staff(activated_at=dt.datetime(2020, 3, 13, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")), name="Krisenstab der Stadt Essen (Corona)")
    lage, s1 = add_function(staff, "lage", "Lage", FunctionGroup.S2), add_function(staff, "s1", "S1 Personal", FunctionGroup.S1)
    leitung = add_function(staff, "leitung", "Leitung", FunctionGroup.LEITUNG)
    leser, personal, chef = f.UserFactory(username="leser.essen"), f.UserFactory(username="mitwirkende.essen"), f.UserFactory(username="admin")
    assign(lage, leser), assign(s1, personal), assign(leitung, chef), assign(lage, personal, AssignmentRole.VERTRETUNG)
    counts = load_demo.load(staff, acting_user=None)
    assert counts["anwesenheiten"] > 14 and Shift.objects.filter(staff=staff, user__isnull=True).count() == 14
    assert load_demo.load(staff, acting_user=None) == {} and Presence.objects.filter(staff=staff).count() == counts["anwesenheiten"]
    figures = {p.user.username: p for p in sel.all_individual_figures(staff=staff, viewer=personal)}
    assert figures["leser.essen"].warnings == ["shift", "days"] and figures["leser.essen"].load.days_in_row == 14
    assert not figures["mitwirkende.essen"].warnings and not figures["admin"].warnings
    agg = sel.aggregates(staff=staff)
    assert agg.over_shift == 1 and agg.strain_total["count"] == StrainAnswer.objects.filter(staff=staff).count()
    assert [s is None for _d, s in agg.strain_days].count(True) == 1  # the day with four answers
    client.force_login(leser)
    body = client.get(reverse("stab:load_overview", kwargs={"pk": staff.pk})).content.decode()
    assert "Stand der Belastungszahlen: 26.03.2020" in body and "Tage in Folge im Dienst – mehr als die Grenze" in body
