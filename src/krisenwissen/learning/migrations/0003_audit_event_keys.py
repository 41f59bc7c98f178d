"""Rename the learning loop's free-string audit keys to the declared events (learning/events.py)."""

from django.db import migrations

from krisenwissen.core.migration_operations import rename_audit_events

RENAMES = {
    "massnahme_angelegt": "learning.action_created",
    "massnahme_geaendert": "learning.action_changed",
    "massnahme_status": "learning.action_status_changed",
    "massnahme_vermerk": "learning.action_note_added",
    "massnahme_erinnerung": "learning.action_reminder_sent",
    "erkenntnis_pruefung_erinnert": "learning.lesson_recheck_reminded",
    "selbstbewertung_angelegt": "learning.assessment_created",
    "rahmen_geladen": "learning.framework_loaded",
    "fortbildung_beantwortet": "learning.module_answered",
    "fortbildung_angelegt": "learning.module_created",
    "fortbildung_geaendert": "learning.module_changed",
    "szenario_angelegt": "learning.exercise_created",
    "szenario_geaendert": "learning.exercise_changed",
    "uebung_gestartet": "learning.exercise_started",
    "uebung_einspielung": "learning.exercise_advanced",
    "uebung_befund": "learning.exercise_finding_recorded",
    "uebung_beendet": "learning.exercise_finished",
}


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_notification"),
        ("learning", "0002_recheck_reminder"),
    ]

    operations = [rename_audit_events(RENAMES)]
