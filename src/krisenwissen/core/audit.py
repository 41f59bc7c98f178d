"""Writing audit rows, and the one vocabulary of audit events.

Each app declares its audit events once, in ``<app>/events.py``, as a ``TextChoices`` enum
registered with :func:`register_events`: English keys prefixed with the app label
(``"knowledge.observation_submitted"``), German labels (translated through gettext). Pages show
an event through :func:`event_label` (template filter ``{% load audit %}{{ key|event_label }}``).
``record`` is called from ``actions.py`` functions inside their transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry

# key → label, filled by the apps' events modules (autodiscovered in CoreConfig.ready).
EVENT_LABELS: dict[str, Any] = {}


def register_events(enum: type[models.TextChoices]) -> type[models.TextChoices]:
    """Class decorator: make an app's audit events known (keys must be unique platform-wide)."""
    for member in enum:
        key = str(member.value)
        if key in EVENT_LABELS and EVENT_LABELS[key] != member.label:
            raise ValueError(f"audit event {key!r} declared twice")
        EVENT_LABELS[key] = member.label
    return enum


def event_label(key: str):
    """The German (translated) label of an audit event key; unknown keys are shown as they are."""
    return EVENT_LABELS.get(str(key), key)


def record(
    action: str,
    *,
    acting_user,
    obj: models.Model | None = None,
    municipality=None,
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
    return AuditEntry.objects.create(
        actor=actor,
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        municipality=municipality if isinstance(municipality, models.Model) else None,
        details=details,
    )
