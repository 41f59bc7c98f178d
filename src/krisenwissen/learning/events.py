"""Audit events of the learning loop (keys English, labels German).

Rows written before these keys existed are renamed by the data migration
``learning/migrations/0003_audit_event_keys.py``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class LearningEvent(models.TextChoices):
    ACTION_CREATED = "learning.action_created", _("Maßnahme angelegt")
    ACTION_CHANGED = "learning.action_changed", _("Maßnahme geändert")
    ACTION_STATUS_CHANGED = "learning.action_status_changed", _("Status geändert")
    ACTION_NOTE_ADDED = "learning.action_note_added", _("Fortschrittsvermerk")
    ACTION_REMINDER_SENT = "learning.action_reminder_sent", _("Erinnerung versandt")
    LESSON_RECHECK_REMINDED = "learning.lesson_recheck_reminded", _("an Überprüfung erinnert")
    ASSESSMENT_CREATED = "learning.assessment_created", _("Selbstbewertung angelegt")
    FRAMEWORK_LOADED = "learning.framework_loaded", _("Bewertungsrahmen geladen")
    MODULE_ANSWERED = "learning.module_answered", _("Selbstcheck beantwortet")
    MODULE_CREATED = "learning.module_created", _("Fortbildungsmodul angelegt")
    MODULE_CHANGED = "learning.module_changed", _("Fortbildungsmodul geändert")
    EXERCISE_CREATED = "learning.exercise_created", _("Muster-Szenario angelegt")
    EXERCISE_CHANGED = "learning.exercise_changed", _("Muster-Szenario geändert")
    EXERCISE_STARTED = "learning.exercise_started", _("Übung gestartet")
    EXERCISE_ADVANCED = "learning.exercise_advanced", _("Einspielung gewechselt")
    EXERCISE_FINDING_RECORDED = "learning.exercise_finding_recorded", _("Befund der Übung")
    EXERCISE_FINISHED = "learning.exercise_finished", _("Übung beendet")

