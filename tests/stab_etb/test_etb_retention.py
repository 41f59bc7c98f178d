"""Retention: the ETB of a deactivated staff is deleted as a whole after its period, nothing earlier."""

import datetime as dt

import pytest
from django.utils import timezone

from krisenwissen.core.retention import do_apply_retention
from krisenwissen.stab import etb_actions as actions
from krisenwissen.stab.models import LogCategory, LogEntry, Staff, StaffStatus

from .factories import make_staff

pytestmark = pytest.mark.django_db


def _log(**kwargs):
    staff, users = make_staff(**kwargs)
    wrong = actions.do_write_entry(staff, category=LogCategory.LAGE, text="Lage", acting_user=users["s2"])
    actions.do_correct_entry(wrong, text="Lage korrigiert", acting_user=users["s2"])
    return staff


def test_the_whole_log_goes_after_the_period_and_only_then(settings):
    settings.KRISENWISSEN_RETENTION = {**settings.KRISENWISSEN_RETENTION, "stab_etb": 3653}
    now = timezone.now()
    old = _log(name="alt")
    recent = _log(name="neu")
    active = _log(name="aktiv")
    Staff.objects.filter(pk=old.pk).update(status=StaffStatus.DEAKTIVIERT, deactivated_at=now - dt.timedelta(days=3660))
    Staff.objects.filter(pk=recent.pk).update(status=StaffStatus.DEAKTIVIERT, deactivated_at=now - dt.timedelta(days=300))
    counts = do_apply_retention(now=now)
    assert counts["etb_stabe"] == 1 and counts["etb_eintraege"] == 2
    assert not LogEntry.objects.filter(staff=old).exists()
    assert LogEntry.objects.filter(staff=recent).count() == 2 and LogEntry.objects.filter(staff=active).count() == 2
    assert do_apply_retention(now=now)["etb_stabe"] == 0
