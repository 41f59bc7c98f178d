"""Retention of the accounts app (declared as ``AccountsConfig.retention``, see ``core.retention``)."""

from __future__ import annotations

from .throttle import forget_old_counters


def apply(*, now, periods: dict[str, int]) -> dict[str, int]:
    """Login-throttle counters (account name and client address) past their own lifetime
    (``LOGIN_THROTTLE``: ``forget_after`` after the last failure, ``known_address_days`` after
    the last sign-in from that address)."""
    return {"zaehler_anmeldung": forget_old_counters(now)}
