"""The meet part's demo content on a staff."""

import pytest

from krisenwissen.core.policy import SYSTEM
from krisenwissen.stab import meet_demo
from krisenwissen.stab.models import Meeting, MeetingStatus, ReportStatus, SituationReport, Task

from .helpers import make_staff

pytestmark = pytest.mark.django_db


def test_demo_adds_two_closed_meetings_with_tasks_and_a_distributed_report():
    w = make_staff()
    assert meet_demo.load(w["staff"], acting_user=SYSTEM) == {"meetings": 2, "reports": 1}
    meetings = Meeting.objects.filter(staff=w["staff"])
    assert [m.status for m in meetings] == [MeetingStatus.GESCHLOSSEN] * 2
    assert all(bytes(m.protocol_pdf).startswith(b"%PDF") and m.contributions.exists() for m in meetings)
    assert Task.objects.filter(staff=w["staff"]).count() == 3
    report = SituationReport.objects.get(staff=w["staff"])
    assert report.status == ReportStatus.VERTEILT and report.sections.exclude(text="").count() == 4
    assert meet_demo.load(w["staff"], acting_user=SYSTEM) == {"meetings": 0, "reports": 0}
