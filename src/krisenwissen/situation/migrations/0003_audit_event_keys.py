"""Rename the free-string audit keys of the Lagebild to the declared events
(situation/events.py), so that existing audit logs keep their labels."""

from django.db import migrations

from krisenwissen.core.migration_operations import rename_audit_events

RENAMES = {
    "lagebild_import": "situation.data_imported",
    "lagebild_indikator_erstellt": "situation.indicator_created",
    "lagebild_wert_erfasst": "situation.value_recorded",
    "lagebild_gebiete_gefolgt": "situation.areas_followed",
    "lagebild_notiz_erstellt": "situation.note_created",
    "lagebild_regelsatz_gespeichert": "situation.ruleset_saved",
}


class Migration(migrations.Migration):

    dependencies = [
        ("situation", "0002_catalog"),
        ("core", "0001_initial"),
    ]

    operations = [rename_audit_events(RENAMES)]
