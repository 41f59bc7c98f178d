"""Derived indicators: a pure module (no Django). Computed from stored series, never copied.

* 7-day incidence per 100,000: sum of the daily new cases of the day and the six days
  before, divided by the population, times 100,000. Undefined (None) while fewer than seven
  days of the window have data (start of a series, gaps): a partial sum would understate it.
* ICU shares: occupied beds / all beds and COVID patients / all beds, in percent.
* Week-over-week change in percent: (v_t - v_{t-7}) / v_{t-7} * 100 (None if v_{t-7} is 0 or missing).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

WEEK = timedelta(days=7)


def incidence_7d(new_cases: Mapping[date, float], population: int | None) -> dict[date, float]:
    if not population or not new_cases:
        return {}
    out: dict[date, float] = {}
    days = sorted(new_cases)
    day, end = days[0], days[-1]
    one = timedelta(days=1)
    window: list[float | None] = []
    total = 0.0
    missing = 0
    while day <= end:
        v = new_cases.get(day)
        window.append(v)
        if v is None:
            missing += 1
        else:
            total += v
        if len(window) > 7:
            old = window.pop(0)
            if old is None:
                missing -= 1
            else:
                total -= old
        if len(window) == 7 and missing == 0:
            out[day] = total * 100_000 / population
        day += one
    return out


def share(part: Mapping[date, float], whole: Mapping[date, float]) -> dict[date, float]:
    return {d: part[d] * 100.0 / w for d, w in whole.items() if w and d in part}


def week_over_week(series: Mapping[date, float]) -> dict[date, float]:
    out = {}
    for d, v in series.items():
        before = series.get(d - WEEK)
        if before:
            out[d] = (v - before) * 100.0 / before
    return out


def trend_symbol(change_percent: float | None, *, higher_is_worse: bool = True) -> tuple[str, str]:
    """(arrow, German word) for a week-over-week change; ±5 % counts as stable."""
    if change_percent is None:
        return ("–", "keine Angabe")
    if change_percent > 5:
        return ("↑", "steigend")
    if change_percent < -5:
        return ("↓", "fallend")
    return ("→", "gleichbleibend")
