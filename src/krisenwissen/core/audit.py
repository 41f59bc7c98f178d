"""Writing audit rows. Called from ``actions.py`` functions inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def record(
    action: str,
    *,
    acting_user,
    obj: models.Model | None = None,
    municipality=None,
    **details: Any,
) -> AuditEntry:
    """Append one audit row. ``acting_user`` may be None for system actions (imports, tasks)."""
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    if municipality is None and obj is not None:
        municipality = getattr(obj, "municipality", None)
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        municipality=municipality if isinstance(municipality, models.Model) else None,
        details=details,
    )
