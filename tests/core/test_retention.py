"""Retention (core.retention): old audit rows, notifications and counters go, young ones stay; one audit row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from krisenwissen.accounts.models import LoginThrottle
from krisenwissen.core.events import CoreEvent
from krisenwissen.core.models import AuditEntry, Notification, RateCounter
from krisenwissen.core.retention import do_apply_retention

from .. import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)


def _audit(days_ago: int) -> AuditEntry:
    entry = AuditEntry.objects.create(action="core.data_exported", client_address="203.0.113.7")
    AuditEntry.objects.filter(pk=entry.pk).update(timestamp=NOW - dt.timedelta(days=days_ago))
    return entry


def _notification(user, *, days_ago: int, read_days_ago: int | None) -> Notification:
    n = Notification.objects.create(recipient=user, subject="Erinnerung")
    Notification.objects.filter(pk=n.pk).update(
        created_at=NOW - dt.timedelta(days=days_ago),
        read_at=None if read_days_ago is None else NOW - dt.timedelta(days=read_days_ago))
    return n


def test_old_records_go_young_ones_stay_and_one_audit_row_counts(settings):
    settings.KRISENWISSEN_RETENTION = {"audit": 1095, "notifications_read": 90, "notifications_unread": 730, "workshops": 365}
    person = f.UserFactory()
    old_audit, young_audit = _audit(1200), _audit(1000)
    old_read = _notification(person, days_ago=200, read_days_ago=100)
    young_read = _notification(person, days_ago=200, read_days_ago=10)
    old_unread = _notification(person, days_ago=800, read_days_ago=None)
    young_unread = _notification(person, days_ago=100, read_days_ago=None)
    RateCounter.objects.create(key="workshop_join:203.0.113.7", window=1, count=3, expires=NOW - dt.timedelta(minutes=1))
    live = RateCounter.objects.create(key="workshop_join:203.0.113.8", window=2, count=3, expires=NOW + dt.timedelta(minutes=1))
    LoginThrottle.objects.create(scope="pair", key="erika|203.0.113.7", failures=3, last_failure_at=NOW - dt.timedelta(days=3))
    fresh = LoginThrottle.objects.create(scope="pair", key="max|203.0.113.8", failures=3, last_failure_at=NOW - dt.timedelta(hours=1))

    counts = do_apply_retention(now=NOW)

    assert not AuditEntry.objects.filter(pk=old_audit.pk).exists()
    assert AuditEntry.objects.filter(pk=young_audit.pk).exists()
    assert set(Notification.objects.values_list("pk", flat=True)) == {young_read.pk, young_unread.pk}
    assert old_read.pk != old_unread.pk
    assert list(RateCounter.objects.all()) == [live]
    assert list(LoginThrottle.objects.all()) == [fresh]
    assert counts["protokolleintraege"] == 1
    assert counts["benachrichtigungen_gelesen"] == counts["benachrichtigungen_ungelesen"] == 1
    assert counts["zaehler_anfragen"] == counts["zaehler_anmeldung"] == 1
    rows = AuditEntry.objects.filter(action=CoreEvent.RETENTION_APPLIED)
    assert rows.count() == 1
    row = rows.get()
    assert row.actor is None and row.details["anzahl_protokolleintraege"] == 1
    assert "203.0.113" not in repr(row.details) and "erika" not in repr(row.details)

    # Idempotent: a second run finds nothing more.
    again = do_apply_retention(now=NOW)
    assert set(again.values()) == {0}
    assert AuditEntry.objects.filter(pk=young_audit.pk).exists()


def test_zero_keeps_for_ever(settings):
    settings.KRISENWISSEN_RETENTION = {"audit": 0, "notifications_read": 0, "notifications_unread": 0, "workshops": 0}
    old = _audit(5000)
    _notification(f.UserFactory(), days_ago=5000, read_days_ago=4000)
    do_apply_retention(now=timezone.now())
    assert AuditEntry.objects.filter(pk=old.pk).exists()
    assert Notification.objects.count() == 1


def test_environment_setting_is_parsed_and_bad_values_refused():
    from krisenwissen.settings.base import KRISENWISSEN_RETENTION, _retention

    assert KRISENWISSEN_RETENTION["audit"] == 1095
    assert _retention("audit=730, workshops=0") == {"audit": 730, "workshops": 0}
    for bad in ("audit=-1", "audit=drei", "protokoll=30"):
        with pytest.raises(ValueError, match="KRISENWISSEN_RETENTION"):
            _retention(bad)


def test_command_runs(capsys):
    from django.core.management import call_command

    call_command("apply_retention")
    assert "protokolleintraege=" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action=CoreEvent.RETENTION_APPLIED).count() == 1
