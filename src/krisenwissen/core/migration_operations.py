"""Reusable migration operations.

Kept stable on purpose: migrations import from here, so a change must keep old migrations
working.
"""

from __future__ import annotations

from django.db import migrations


def rename_audit_events(mapping: dict[str, str], *, object_type: str | None = None) -> migrations.RunPython:
    """Rename audit keys of ``core.AuditEntry`` (old → new), reversibly.

    ``object_type`` (``"app_label.model"``) limits the renaming to rows about such objects, for
    old keys that more than one app wrote.
    """

    def rename(apps, pairs):
        rows = apps.get_model("core", "AuditEntry").objects.all()
        if object_type:
            rows = rows.filter(object_type=object_type)
        for old, new in pairs.items():
            rows.filter(action=old).update(action=new)

    def forwards(apps, schema_editor):
        rename(apps, mapping)

    def backwards(apps, schema_editor):
        rename(apps, {new: old for old, new in mapping.items()})

    return migrations.RunPython(forwards, backwards)
