"""Demo content of the load part: the fortnight of the Essen staff of spring 2020.

Added by ``demo.load_parts`` to the staff built by the core demo. Uses only the staff's own
members (the demo accounts): the holder of the Lage function is visibly overloaded (14 days in a
row, 13–14 hours a day), the others have normal days with days off. A shift roster (day shift
per function, night shifts of the Lage still to fill), and anonymous strain answers (some days
with enough answers, some with too few). Idempotent: a staff that has presence records is skipped.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .models import AssignmentRole, Presence, Shift, StaffAssignment, StrainAnswer

BERLIN = ZoneInfo("Europe/Berlin")
DAYS = 14
# Strain answers per day of the fortnight (days with fewer than the minimum show "zu wenige Antworten").
STRAIN = {2: [3, 3, 4, 2, 3], 5: [4, 3, 4, 5, 3, 4], 8: [4, 4, 5, 3], 11: [5, 4, 4, 5, 3, 4, 4], 13: [4, 5, 5, 4, 3]}


def _at(day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=BERLIN) + dt.timedelta(hours=hour)


def load(staff, *, acting_user=None) -> dict[str, int]:
    if Presence.objects.filter(staff=staff).exists():
        return {}
    start = staff.activated_at.astimezone(BERLIN).date()
    assignments = list(StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True)
                       .select_related("function", "user").order_by("function__order", "role"))
    holders: dict = {}
    for a in assignments:
        if a.role == AssignmentRole.INHABER:
            holders.setdefault(a.user, a.function)
    overloaded = next((u for u, f in holders.items() if f.code in ("lage", "s2")), next(iter(holders), None))
    presences, shifts = [], []
    for offset in range(DAYS):
        day = start + dt.timedelta(days=offset)
        weekend = day.weekday() >= 5
        for user, function in holders.items():
            if user == overloaded:  # every day, long days, the last one 14 hours
                begin, hours = 7, (14 if offset == DAYS - 1 else 13.5)
            elif weekend and offset % 7 != 1:
                continue  # days off
            else:
                begin, hours = 8, 8.5
            presences.append(Presence(staff=staff, user=user, function=function, started_at=_at(day, begin), ended_at=_at(day, begin + hours)))
        for user, function in holders.items():
            shifts.append(Shift(staff=staff, function=function, user=user, starts_at=_at(day, 7), ends_at=_at(day, 19), note="Tagdienst"))
        if overloaded is not None:
            shifts.append(Shift(staff=staff, function=holders[overloaded], user=None, starts_at=_at(day, 19), ends_at=_at(day, 31), note="Nachtdienst"))
    Presence.objects.bulk_create(presences)
    Shift.objects.bulk_create(shifts)
    answers = [StrainAnswer(staff=staff, day=start + dt.timedelta(days=d), value=v) for d, values in STRAIN.items() if d < DAYS for v in values]
    StrainAnswer.objects.bulk_create(answers)
    return {"anwesenheiten": len(presences), "schichten": len(shifts), "befindlichkeit": len(answers)}
