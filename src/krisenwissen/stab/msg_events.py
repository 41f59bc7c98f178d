"""Audit events of the Meldungen and Aufträge of a staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class MsgEvent(models.TextChoices):
    MESSAGE_RECORDED = "stab.message_recorded", _("Meldung aufgenommen")
    MESSAGE_ROUTED = "stab.message_routed", _("Meldung gesichtet und verteilt")
    MESSAGE_ACKNOWLEDGED = "stab.message_acknowledged", _("Meldung zur Kenntnis genommen")
    MESSAGE_COMPLETED = "stab.message_completed", _("Meldung erledigt")
    MESSAGE_SETTINGS_CHANGED = "stab.message_settings_changed", _("Sichtende Funktion geändert")
    TASK_CREATED = "stab.task_created", _("Auftrag erteilt")
    TASK_STARTED = "stab.task_started", _("Auftrag in Arbeit")
    TASK_COMPLETED = "stab.task_completed", _("Auftrag erledigt")
    TASK_ABORTED = "stab.task_aborted", _("Auftrag abgebrochen")
