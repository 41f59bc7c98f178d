"""Retention of the crisis staff (``core.retention`` calls ``apply`` daily): the parts' periods.

- ``stab_presence`` (``load_retention``): presence, roster, handover briefs, limits and strain
  answers of a deactivated staff;
- ``stab_etb`` (``etb_retention``): the Einsatztagebuch of a deactivated staff, as a whole.
"""

from __future__ import annotations

import datetime as dt

from . import etb_retention, load_retention


def apply(*, now: dt.datetime, periods: dict[str, int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in (load_retention, etb_retention):
        for key, value in part.apply(now=now, periods=periods).items():
            counts[key] = counts.get(key, 0) + value
    return counts
