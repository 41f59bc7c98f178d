"""Retention of the load part (declared as ``StabConfig.retention``, see ``core.retention``).

Presence records, the shift roster, handover briefs, per-staff limits and the anonymous strain
answers of a staff are deleted ``stab_presence`` days (setting ``KRISENWISSEN_RETENTION``,
default 180) after the staff's deactivation. Active staffs keep them. So are the audit rows of
signing in and out of those staffs (they would otherwise show the duty times for the audit
period). ETB entries (also the Schichtwechsel entries) are not touched: they follow the ETB's
own retention.
"""

from __future__ import annotations

import datetime as dt

from krisenwissen.core.models import AuditEntry

from .load_events import LoadEvent
from .models import HandoverBrief, LoadSettings, Presence, Shift, Staff, StaffStatus, StrainAnswer


def apply(*, now, periods: dict[str, int]) -> dict[str, int]:
    days = periods.get("stab_presence", 0)
    if not days or days <= 0:
        return {}
    before = now - dt.timedelta(days=days)
    staff_filter = {"staff__status": StaffStatus.DEAKTIVIERT, "staff__deactivated_at__isnull": False, "staff__deactivated_at__lt": before}
    counts = {}
    for key, model in (("stab_anwesenheiten", Presence), ("stab_schichten", Shift), ("stab_uebergabebriefe", HandoverBrief),
                       ("stab_befindlichkeit", StrainAnswer), ("stab_belastungsgrenzen", LoadSettings)):
        counts[key] = model.objects.filter(**staff_filter).delete()[0]
    due = Staff.objects.filter(status=StaffStatus.DEAKTIVIERT, deactivated_at__isnull=False, deactivated_at__lt=before)
    counts["stab_protokoll_anwesenheit"] = AuditEntry.objects.filter(
        action__in=[LoadEvent.SIGNED_IN, LoadEvent.SIGNED_OUT], object_type=Staff._meta.label_lower,
        object_id__in=[str(pk) for pk in due.values_list("pk", flat=True)]).delete()[0]
    return counts
