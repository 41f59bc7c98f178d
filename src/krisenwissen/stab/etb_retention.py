"""Retention of the Einsatztagebuch (declared as ``StabConfig.retention``, see ``core.retention``).

``periods["stab_etb"]`` days (default 10 years) after a staff was deactivated, its whole ETB
is deleted: every entry and the attachment files (after the transaction commits). A log is
never thinned out entry by entry, and the log of a staff still active is kept. The staff row
itself stays (its other parts have their own periods).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from krisenwissen.core.audit import record
from krisenwissen.core.policy import SYSTEM

from .etb_events import EtbEvent
from .models import LogEntry, Staff, StaffStatus, purging_whole_log


def expired_staffs(*, now: dt.datetime, days: int):
    return Staff.objects.filter(status=StaffStatus.DEAKTIVIERT, deactivated_at__lt=now - dt.timedelta(days=days),
                                log_entries__isnull=False).distinct()


def apply(*, now: dt.datetime, periods: dict[str, int]) -> dict[str, int]:
    days = periods.get("stab_etb", 0)
    if not days or days <= 0:
        return {}
    logs = entries = 0
    for staff in expired_staffs(now=now, days=days):
        files = [(f.storage, f.name) for f in (e.attachment for e in LogEntry.objects.filter(staff=staff).exclude(attachment="")) if f]
        with purging_whole_log(staff.pk):
            # corrections first (they reference the corrected entries: PROTECT)
            count = LogEntry.objects.filter(staff=staff, corrects__isnull=False).delete()[0]
            count += LogEntry.objects.filter(staff=staff).delete()[0]
        record(EtbEvent.LOG_PURGED, acting_user=SYSTEM, obj=staff, municipality=staff.municipality, entries=count)
        transaction.on_commit(lambda files=files: [storage.delete(name) for storage, name in files])
        logs += 1
        entries += count
    return {"etb_stabe": logs, "etb_eintraege": entries}
