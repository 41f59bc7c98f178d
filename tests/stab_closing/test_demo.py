"""The demo: the Essen staff of spring 2020 appears deactivated in June 2020 with a completed
Rückführung and a hot debrief whose timeline is prefilled."""

import datetime as dt

import pytest

from krisenwissen.core.policy import SYSTEM
from krisenwissen.stab import closing_demo
from krisenwissen.stab.models import ClosingChecklist, LogEntry, StaffStatus
from krisenwissen.workshops.models import Card
from tests import factories as f

from .staffs import make_staff

pytestmark = pytest.mark.django_db


def test_the_spring_2020_staff_is_returned_in_june_2020():
    crisis = f.CrisisFactory(title="COVID-19-Pandemie")
    f.PhaseFactory(crisis=crisis, number=1, name="Eindämmung", start=dt.date(2020, 3, 1), end=dt.date(2020, 5, 31))
    f.PhaseFactory(crisis=crisis, number=2, name="Schutz", start=dt.date(2020, 6, 1), end=None)
    staff, _people = make_staff(crisis=crisis, activated_at=dt.datetime(2020, 3, 13, 8, 0, tzinfo=dt.UTC))
    closing_demo.load(staff, acting_user=SYSTEM)
    staff.refresh_from_db()
    assert staff.status == StaffStatus.DEAKTIVIERT and staff.deactivated_at == closing_demo.DEACTIVATION
    checklist = ClosingChecklist.objects.get(staff=staff)
    assert checklist.complete_at_close and checklist.justification == ""
    assert checklist.handovers.count() == 2 and checklist.handovers.filter(owner_text__startswith="Gesundheitsamt").exists()
    debrief = checklist.debrief
    assert debrief.start_date == dt.date(2020, 6, 16) and debrief.kind == "nachbesprechung"
    assert Card.objects.filter(workshop=debrief, crisis_phase__isnull=False).count() == Card.objects.filter(workshop=debrief).count() > 0
    last = LogEntry.objects.filter(staff=staff).order_by("-number").first()
    assert last.text == "Stab deaktiviert; Rückführung vollständig." and last.event_at == closing_demo.DEACTIVATION
    # Loading again changes nothing.
    count = LogEntry.objects.filter(staff=staff).count()
    closing_demo.load(staff, acting_user=SYSTEM)
    assert LogEntry.objects.filter(staff=staff).count() == count
