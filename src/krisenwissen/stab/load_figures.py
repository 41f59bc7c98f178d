"""Load figures of a crisis staff: a pure core (no Django), unit-tested and fuzzed.

Inputs are plain values: duty sessions (sign-in/sign-out as aware datetimes, an open session
has ``end=None`` and counts until ``now``), per-person work counts, and the limits.

* **Hours on duty** (``hours_on_duty``): the sum of all sessions' lengths (overlapping sessions
  of one person, e.g. signed in for two functions, count once), optionally within a window.
* **Current stretch** (``current_stretch_hours``): the hours on duty in the latest continuous
  duty stretch; sessions separated by less than ``STRETCH_GAP`` (one hour) belong to one stretch
  (the short breaks themselves are not counted as duty).
  This is what the limit "höchstens N Stunden im Dienst" (``max_shift_hours``) is checked against.
* **Consecutive days** (``consecutive_days``): the number of calendar days (local time, the
  caller converts) in a row with any duty, ending today or yesterday (a person not yet signed in
  today has not had a day off yet). Checked against ``max_days_without_break``.
* **Concentration figure** (``concentration``): how much of the logged work (ETB entries
  authored + tasks owned or completed, one number per member, members without work count
  with 0) sits on how few people:

  - ``top_share``: the share of all work done by the top ``TOP_FRACTION`` (20 %) of members,
    at least one person (``ceil(0.2 * n)``); 0.2 means evenly spread, 1.0 that the top fifth
    does everything;
  - ``gini``: the Gini coefficient ``sum_i sum_j |x_i - x_j| / (2 n^2 mean)``, computed from
    the sorted values as ``(2 * sum_i i*x_(i)) / (n * sum x) - (n + 1) / n`` (i = 1..n);
    0 = everybody did the same, (n-1)/n = one person did everything. Empty or all-zero: 0.

* **Rotation suggestions** (``rotation_suggestions``): for each person over a limit and each
  function they hold (as holder or deputy), the rested people of the same function (not over
  any limit, not on duty now), fewest hours first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

STRETCH_GAP = dt.timedelta(hours=1)
TOP_FRACTION = 0.2


@dataclass(frozen=True)
class Session:
    start: dt.datetime
    end: dt.datetime | None = None  # None: still signed in


@dataclass(frozen=True)
class Limits:
    max_shift_hours: float = 12
    max_days_without_break: int = 10


def _intervals(sessions: Iterable[Session], now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """Sessions as closed intervals (open ones until ``now``), merged where they overlap, sorted.

    Sessions starting after ``now`` and reversed ones (end before start) are ignored.
    """
    spans = []
    for s in sessions:
        end = s.end if s.end is not None else now
        end = min(end, now)
        if s.start >= end:
            continue
        spans.append((s.start, end))
    spans.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def hours_on_duty(sessions: Iterable[Session], *, now: dt.datetime, since: dt.datetime | None = None) -> float:
    """Hours on duty (overlaps once), open sessions until ``now``; only time after ``since``."""
    total = dt.timedelta()
    for start, end in _intervals(sessions, now):
        if since is not None:
            start = max(start, since)
        if end > start:
            total += end - start
    return total.total_seconds() / 3600


def current_stretch_hours(sessions: Iterable[Session], *, now: dt.datetime, gap: dt.timedelta = STRETCH_GAP) -> float:
    """Hours of the latest continuous duty stretch (breaks shorter than ``gap`` do not end it)."""
    intervals = _intervals(sessions, now)
    if not intervals:
        return 0.0
    start, end = intervals[-1]
    total = end - start
    for prev_start, prev_end in reversed(intervals[:-1]):
        if start - prev_end >= gap:
            break
        total += prev_end - prev_start
        start = prev_start
    return total.total_seconds() / 3600


def duty_days(sessions: Iterable[Session], *, now: dt.datetime) -> set[dt.date]:
    """The calendar days (of the datetimes as given) with any duty."""
    days: set[dt.date] = set()
    for start, end in _intervals(sessions, now):
        day = start.date()
        last = (end - dt.timedelta(microseconds=1)).date()
        while day <= last:
            days.add(day)
            day += dt.timedelta(days=1)
    return days


def consecutive_days(sessions: Iterable[Session], *, now: dt.datetime) -> int:
    """Days in a row with duty, ending today or yesterday (``now.date()``); else 0."""
    days = duty_days(sessions, now=now)
    today = now.date()
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative ``values`` (0: equal; empty or all zero: 0)."""
    xs = sorted(max(0.0, float(v)) for v in values)
    n, total = len(xs), sum(xs)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum(i * x for i, x in enumerate(xs, start=1))
    return max(0.0, min(1.0, (2 * weighted) / (n * total) - (n + 1) / n))


def top_share(values: Sequence[float], *, fraction: float = TOP_FRACTION) -> float:
    """Share of the total held by the top ``fraction`` of people (at least one); 0 if no work."""
    xs = sorted((max(0.0, float(v)) for v in values), reverse=True)
    total = sum(xs)
    if not xs or total <= 0:
        return 0.0
    k = max(1, math.ceil(fraction * len(xs) - 1e-9))
    return min(1.0, sum(xs[:k]) / total)


@dataclass(frozen=True)
class Concentration:
    people: int
    total: float
    top_count: int
    top_share: float
    gini: float


def concentration(work: Sequence[float], *, fraction: float = TOP_FRACTION) -> Concentration:
    n = len(work)
    return Concentration(
        people=n, total=float(sum(max(0.0, float(w)) for w in work)),
        top_count=max(1, math.ceil(fraction * n - 1e-9)) if n else 0,
        top_share=top_share(work, fraction=fraction), gini=gini(work),
    )


@dataclass(frozen=True)
class PersonLoad:
    """The figures of one person (``key``: any id, e.g. the user id)."""

    key: int
    hours_total: float
    stretch_hours: float
    days_in_row: int
    on_duty: bool
    functions: frozenset[str] = field(default_factory=frozenset)

    def warnings(self, limits: Limits) -> list[str]:
        """Which limits are exceeded: ``"shift"`` and/or ``"days"``."""
        out = []
        if self.stretch_hours > limits.max_shift_hours:
            out.append("shift")
        if self.days_in_row > limits.max_days_without_break:
            out.append("days")
        return out

    def over_limits(self, limits: Limits) -> bool:
        return bool(self.warnings(limits))


@dataclass(frozen=True)
class Suggestion:
    tired: int
    function: str
    rested: tuple[int, ...]


def rotation_suggestions(people: Sequence[PersonLoad], limits: Limits) -> list[Suggestion]:
    """Who is over the limits, and who with the same function is rested (fewest hours first).

    A suggestion without rested candidates (``rested == ()``) shows a gap in the deputy cover.
    """
    out = []
    for person in sorted(people, key=lambda p: p.key):
        if not person.over_limits(limits):
            continue
        for code in sorted(person.functions):
            rested = sorted(
                (p for p in people if p.key != person.key and code in p.functions and not p.over_limits(limits) and not p.on_duty),
                key=lambda p: (p.hours_total, p.key),
            )
            out.append(Suggestion(tired=person.key, function=code, rested=tuple(p.key for p in rested)))
    return out


def strain_summary(values: Sequence[int], *, min_group: int) -> dict | None:
    """Aggregate of strain answers (1–5): None below ``min_group`` answers (too few to be anonymous)."""
    valid = [v for v in values if 1 <= v <= 5]
    if len(valid) < max(1, min_group):
        return None
    return {
        "count": len(valid),
        "mean": sum(valid) / len(valid),
        "distribution": [valid.count(v) for v in range(1, 6)],
    }
