"""Rename the free-string audit keys of the Lagebild to the declared events
(situation/events.py), so that existing audit logs keep their labels."""

from django.db import migrations

RENAMES = {
    "lagebild_import": "situation.data_imported",
    "lagebild_indikator_erstellt": "situation.indicator_created",
    "lagebild_wert_erfasst": "situation.value_recorded",
    "lagebild_gebiete_gefolgt": "situation.areas_followed",
    "lagebild_notiz_erstellt": "situation.note_created",
    "lagebild_regelsatz_gespeichert": "situation.ruleset_saved",
}


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMES.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def backwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMES.items():
        AuditEntry.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("situation", "0002_catalog"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
