"""Rename the free-string audit keys of the Verordnungs-Synopse to the declared events
(regulations/events.py), so that existing audit logs keep their labels."""

from django.db import migrations

from krisenwissen.core.migration_operations import rename_audit_events

RENAMES = {
    "rechtstext_angelegt": "regulations.legal_text_created",
    "fassung_hinzugefuegt": "regulations.version_added",
    "fassung_aktualisiert": "regulations.version_updated",
    "fassungen_importiert": "regulations.versions_imported",
    "stichwortregel_angelegt": "regulations.keyword_rule_created",
    "stichwortregel_geaendert": "regulations.keyword_rule_changed",
    "stichwortregel_geloescht": "regulations.keyword_rule_deleted",
    "abo_begonnen": "regulations.subscription_started",
    "abo_beendet": "regulations.subscription_ended",
}


class Migration(migrations.Migration):

    dependencies = [
        ("regulations", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [rename_audit_events(RENAMES)]
