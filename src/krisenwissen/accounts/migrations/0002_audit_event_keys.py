"""Rename the old free-string audit keys of accounts to the keys of ``accounts.events``.

The mapping is written out here (not imported) so that the migration stays as it is when
the enum changes later.
"""

from django.db import migrations

from krisenwissen.core.migration_operations import rename_audit_events

RENAMED = {
    "person_angelegt": "accounts.person_created",
    "mitgliedschaft_gesetzt": "accounts.membership_set",
    "mitgliedschaft_entfernt": "accounts.membership_removed",
    "anmeldung_fehlgeschlagen": "accounts.login_failed",
    "gemeinden_importiert": "accounts.municipalities_imported",
}


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [rename_audit_events(RENAMED)]
