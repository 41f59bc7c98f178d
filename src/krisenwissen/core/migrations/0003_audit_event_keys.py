"""Rename the free-string audit keys of exports, imports and the demo loader to CoreEvent keys."""

from django.db import migrations

RENAMED = {
    "daten_importiert": "core.data_imported",
    "daten_exportiert": "core.data_exported",
    "demo_geladen": "core.demo_loaded",
}


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMED.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def backwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMED.items():
        AuditEntry.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_notification")]

    operations = [migrations.RunPython(forwards, backwards)]
