"""Rename the old free-string audit keys of accounts to the keys of ``accounts.events``.

The mapping is written out here (not imported) so that the migration stays as it is when
the enum changes later.
"""

from django.db import migrations

RENAMED = {
    "person_angelegt": "accounts.person_created",
    "mitgliedschaft_gesetzt": "accounts.membership_set",
    "mitgliedschaft_entfernt": "accounts.membership_removed",
    "anmeldung_fehlgeschlagen": "accounts.login_failed",
    "gemeinden_importiert": "accounts.municipalities_imported",
}


def rename(apps, mapping):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in mapping.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
