"""Audit events of the Rückführung (deactivation) and the hot debrief."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class ClosingEvent(models.TextChoices):
    STAFF_DEACTIVATED = "stab.staff_deactivated", _("Stab deaktiviert")
    STAFF_REACTIVATED = "stab.staff_reactivated", _("Stab wieder aktiviert")
    TASK_HANDED_OVER = "stab.task_handed_over", _("Auftrag an die Regelorganisation übergeben")
    DECISIONS_CONFIRMED = "stab.decisions_confirmed", _("Offene Entscheidungen bestätigt")
    ARCHIVE_CONFIRMED = "stab.archive_confirmed", _("Archivierung von ETB und Dokumenten bestätigt")
    MEMBERS_NOTIFIED = "stab.members_notified", _("Stabsmitglieder über die Rückführung benachrichtigt")
    FUNCTION_DEACTIVATED = "stab.function_deactivated", _("Stabsfunktion deaktiviert")
    DEBRIEF_SCHEDULED = "stab.debrief_scheduled", _("Nachbesprechung angesetzt")
