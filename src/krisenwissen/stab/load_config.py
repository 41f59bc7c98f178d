"""The active configuration of the load part: limits (per staff, defaults from settings),
the minimum group size of the strain check, and the retention of presence data."""

from __future__ import annotations

from django.conf import settings

from .load_figures import Limits

DEFAULT_MAX_SHIFT_HOURS = 12
DEFAULT_MAX_DAYS_WITHOUT_BREAK = 10
DEFAULT_STRAIN_MIN_GROUP = 5
DEFAULT_PRESENCE_RETENTION_DAYS = 180


def default_limits() -> Limits:
    return Limits(
        max_shift_hours=int(getattr(settings, "KRISENWISSEN_STAB_MAX_SHIFT_HOURS", DEFAULT_MAX_SHIFT_HOURS)),
        max_days_without_break=int(getattr(settings, "KRISENWISSEN_STAB_MAX_DAYS_WITHOUT_BREAK", DEFAULT_MAX_DAYS_WITHOUT_BREAK)),
    )


def limits_for(staff) -> Limits:
    """The staff's limits: its own where set, else the platform defaults."""
    base = default_limits()
    own = getattr(staff, "load_settings", None) if staff.pk else None
    if own is None:
        return base
    return Limits(
        max_shift_hours=own.max_shift_hours or base.max_shift_hours,
        max_days_without_break=own.max_days_without_break or base.max_days_without_break,
    )


def strain_min_group() -> int:
    return max(2, int(getattr(settings, "KRISENWISSEN_STAB_STRAIN_MIN_GROUP", DEFAULT_STRAIN_MIN_GROUP)))


def presence_retention_days() -> int:
    """Days after the staff's deactivation after which presence data is deleted (0: never)."""
    return int(getattr(settings, "KRISENWISSEN_RETENTION", {}).get("stab_presence", DEFAULT_PRESENCE_RETENTION_DAYS))
