"""Writing audit rows, and the one vocabulary of audit events.

Each app declares its audit events once, in ``<app>/events.py``, as a ``TextChoices`` enum
registered with :func:`register_events`: English keys prefixed with the app label
(``"knowledge.observation_submitted"``), German labels (translated through gettext). Pages show
an event through :func:`event_label` (template filter ``{% load audit %}{{ key|event_label }}``).
``record`` is called from ``actions.py`` functions inside their transaction.

Every row carries the client address of the request it was written in (set per request by
``core.middleware.ClientAddressMiddleware``). Events declared with
``mark_security_events(...)`` (logins, lock-outs, downloads, refusals) are also written as
one JSON line each to the logger ``krisenwissen.security`` (stdout by default, see the
``LOGGING`` setting), for the operator's log collection (syslog, SIEM).
"""

from __future__ import annotations

import contextvars
import json
import logging
from typing import Any

from django.db import models
from django.utils import timezone

from .models import AuditEntry

# key → label, filled by the apps' events modules (autodiscovered in CoreConfig.ready).
EVENT_LABELS: dict[str, Any] = {}
# keys of security events: also logged as JSON lines on ``krisenwissen.security``.
SECURITY_EVENTS: set[str] = set()

security_logger = logging.getLogger("krisenwissen.security")

# The client address of the request being handled (None outside requests: commands, tasks).
current_client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("krisenwissen_client_address", default=None)


def register_events(enum: type[models.TextChoices]) -> type[models.TextChoices]:
    """Class decorator: make an app's audit events known (keys must be unique platform-wide)."""
    for member in enum:
        key = str(member.value)
        if key in EVENT_LABELS and EVENT_LABELS[key] != member.label:
            raise ValueError(f"audit event {key!r} declared twice")
        EVENT_LABELS[key] = member.label
    return enum


def mark_security_events(*members) -> None:
    """Declare registered events as security events (also logged as JSON lines)."""
    for member in members:
        if str(member) not in EVENT_LABELS:
            raise ValueError(f"audit event {member!r} is not registered")
        SECURITY_EVENTS.add(str(member))


def home_municipality(user):
    """The municipality a person's security events are filed under: their first membership's."""
    memberships = getattr(user, "memberships", None) if getattr(user, "pk", None) else None
    if memberships is None:
        return None
    membership = memberships.select_related("municipality").order_by("pk").first()
    return membership.municipality if membership else None


def log_security_event(action: str, *, user=None, municipality=None, client_address: str | None = None,
                       obj_repr: str = "", timestamp=None, **details: Any) -> None:
    """One JSON line on ``krisenwissen.security`` (without an audit row: for events an anonymous
    visitor can repeat at will, such as refused attempts, so they cannot fill the database)."""
    if str(action) not in SECURITY_EVENTS:
        raise ValueError(f"{action!r} is not a declared security event")
    line = {
        "time": (timestamp or timezone.now()).isoformat(),
        "event": str(action),
        "user": user.get_username() if getattr(user, "pk", None) else None,
        "municipality": getattr(municipality, "ags", None),
        "client_address": client_address or current_client_address.get(),
        "object": obj_repr or None,
        **{k: v for k, v in details.items() if k not in {"time", "event", "user", "municipality", "client_address"}},
    }
    security_logger.info(json.dumps(line, ensure_ascii=False, default=str))


def _log_security_event(entry: AuditEntry) -> None:
    log_security_event(entry.action, user=entry.actor, municipality=entry.municipality, client_address=entry.client_address,
                       obj_repr=entry.object_repr, timestamp=entry.timestamp, **entry.details)


def event_label(key: str):
    """The German (translated) label of an audit event key; unknown keys are shown as they are."""
    return EVENT_LABELS.get(str(key), key)


def record(
    action: str,
    *,
    acting_user,
    obj: models.Model | None = None,
    municipality=None,
    client_address: str | None = None,
    **details: Any,
) -> AuditEntry:
    """Append one audit row for a declared event (unknown keys raise ``ValueError``). ``acting_user`` may be ``SYSTEM`` or None for system actions
    (imports, tasks); the row then has no actor and says so in ``details``."""
    if str(action) not in EVENT_LABELS:
        raise ValueError(f"audit event {action!r} is not declared in any app's events.py")
    actor = acting_user if getattr(acting_user, "is_authenticated", False) and getattr(acting_user, "pk", None) else None
    if actor is None and getattr(acting_user, "is_system", False):
        details.setdefault("system", True)
    if municipality is None and obj is not None:
        municipality = getattr(obj, "municipality", None)
    entry = AuditEntry.objects.create(
        actor=actor,
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        municipality=municipality if isinstance(municipality, models.Model) else None,
        details=details,
        client_address=client_address or current_client_address.get(),
    )
    if entry.action in SECURITY_EVENTS:
        _log_security_event(entry)
    return entry
