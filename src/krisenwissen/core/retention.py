"""Retention: delete or pseudonymise personal data when its period is over (docs/datenschutz.md).

``do_apply_retention`` runs daily (``krisenwissen apply_retention``, deploy/systemd/
krisenwissen-retention.timer). It handles core's own records (audit rows, notifications, rate
counters, expired sessions) and asks every app that names a hook on its AppConfig, without
core importing any app:

- ``retention``: dotted path of ``apply(*, now, periods: dict[str, int]) -> dict[str, int]``;
  ``periods`` is the setting ``KRISENWISSEN_RETENTION`` (days, 0: keep for ever); the hook
  deletes or pseudonymises what is due and returns counts (no personal data). Files are
  deleted from storage only after the transaction commits (``transaction.on_commit``).

Everything runs in one transaction and writes ONE audit row with the counts. A second run on
the same day finds nothing more to do (idempotent).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .audit import record
from .events import CoreEvent
from .models import AuditEntry, Notification, RateCounter
from .policy import SYSTEM


def periods() -> dict[str, int]:
    """The retention periods in days (setting ``KRISENWISSEN_RETENTION``; 0: keep for ever)."""
    return dict(getattr(settings, "KRISENWISSEN_RETENTION", {}))


def cutoff(now: dt.datetime, days: int) -> dt.datetime | None:
    """The moment before which records of a ``days`` period are due; None when kept for ever."""
    return now - dt.timedelta(days=days) if days and days > 0 else None


def _apply_core(*, now: dt.datetime, periods: dict[str, int]) -> dict[str, int]:
    counts = {}
    if (before := cutoff(now, periods.get("audit", 0))) is not None:
        counts["protokolleintraege"] = AuditEntry.objects.filter(timestamp__lt=before).delete()[0]
    if (before := cutoff(now, periods.get("notifications_read", 0))) is not None:
        counts["benachrichtigungen_gelesen"] = Notification.objects.filter(read_at__lt=before).delete()[0]
    if (before := cutoff(now, periods.get("notifications_unread", 0))) is not None:
        counts["benachrichtigungen_ungelesen"] = Notification.objects.filter(
            read_at__isnull=True, created_at__lt=before).delete()[0]
    counts["zaehler_anfragen"] = RateCounter.objects.filter(expires__lt=now).delete()[0]
    if apps.is_installed("django.contrib.sessions") and "db" in settings.SESSION_ENGINE:
        from django.contrib.sessions.models import Session

        counts["sitzungen_abgelaufen"] = Session.objects.filter(expire_date__lt=now).delete()[0]
    return counts


def _hooks() -> list:
    return [import_string(config.retention) for config in apps.get_app_configs() if getattr(config, "retention", None)]


def do_apply_retention(*, now: dt.datetime | None = None, acting_user=SYSTEM) -> dict[str, int]:
    """Apply every retention period; returns the counts (also in the one audit row written)."""
    now = now or timezone.now()
    current = periods()
    with transaction.atomic():
        counts = _apply_core(now=now, periods=current)
        for hook in _hooks():
            counts.update(hook(now=now, periods=current) or {})
        record(CoreEvent.RETENTION_APPLIED, acting_user=acting_user,
               fristen_tage=current, **{f"anzahl_{key}": value for key, value in counts.items()})
    return counts
