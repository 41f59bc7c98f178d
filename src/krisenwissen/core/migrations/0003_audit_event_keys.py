"""Rename the free-string audit keys of exports, imports and the demo loader to CoreEvent keys."""

from django.db import migrations

from krisenwissen.core.migration_operations import rename_audit_events

RENAMED = {
    "daten_importiert": "core.data_imported",
    "daten_exportiert": "core.data_exported",
    "demo_geladen": "core.demo_loaded",
}



class Migration(migrations.Migration):
    dependencies = [("core", "0002_notification")]

    operations = [rename_audit_events(RENAMED)]
