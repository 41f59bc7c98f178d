"""Rename the knowledge base's old free-string audit keys to the keys of ``knowledge.events``.

The mapping is written out here (not imported) so that the migration stays as it is when
the enum changes later.
"""

from django.db import migrations

from krisenwissen.core.migration_operations import rename_audit_events

RENAMED = {
    "observation_erstellt": "knowledge.observation_created",
    "lesson_erstellt": "knowledge.lesson_created",
    "recommendation_erstellt": "knowledge.recommendation_created",
    "goodpractice_erstellt": "knowledge.goodpractice_created",
    "observation_geaendert": "knowledge.observation_changed",
    "lesson_geaendert": "knowledge.lesson_changed",
    "recommendation_geaendert": "knowledge.recommendation_changed",
    "goodpractice_geaendert": "knowledge.goodpractice_changed",
    "sichtbarkeit_gesenkt": "knowledge.visibility_lowered",
    "freigabe_beantragt": "knowledge.publication_requested",
    "freigabe_erteilt": "knowledge.publication_approved",
    "freigabe_abgelehnt": "knowledge.publication_rejected",
    "beobachtung_eingereicht": "knowledge.observation_submitted",
    "beobachtung_geprueft": "knowledge.observation_accepted",
    "beobachtung_abgelehnt": "knowledge.observation_rejected",
    "erkenntnis_bestaetigt": "knowledge.lesson_endorsed",
    "erkenntnis_in_umsetzung": "knowledge.lesson_implementation_started",
    "erkenntnis_ueberprueft": "knowledge.lesson_validated",
    "erkenntnis_verankert": "knowledge.lesson_embedded",
    "erkenntnis_archiviert": "knowledge.lesson_archived",
    "erkenntnis_ersetzt": "knowledge.lesson_replaced",
    "krise_angelegt": "knowledge.crisis_created",
    "code_angelegt": "knowledge.code_created",
    "quelle_angelegt": "knowledge.source_created",
}


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0002_lifecycle"),
        ("core", "0002_notification"),
    ]

    operations = [rename_audit_events(RENAMED)]
