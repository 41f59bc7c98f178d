"""Audit events of the learning loop (keys English, labels German)."""

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
