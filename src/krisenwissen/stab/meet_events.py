"""Audit events of the Lagebesprechung and the Lagebericht."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class MeetEvent(models.TextChoices):
    MEETING_STARTED = "stab.meeting_started", _("Lagebesprechung begonnen")
    MEETING_ITEM_ADVANCED = "stab.meeting_item_advanced", _("Lagebesprechung: nächster Tagesordnungspunkt")
    MEETING_CONTRIBUTION_ADDED = "stab.meeting_contribution_added", _("Beitrag zur Lagebesprechung")
    MEETING_DECISION_RECORDED = "stab.meeting_decision_recorded", _("Entscheidung der Lagebesprechung")
    MEETING_CLOSED = "stab.meeting_closed", _("Lagebesprechung geschlossen")
    REPORT_CREATED = "stab.situation_report_created", _("Lagebericht angelegt")
    REPORT_SECTION_WRITTEN = "stab.situation_report_section_written", _("Abschnitt des Lageberichts geschrieben")
    REPORT_SUBMITTED = "stab.situation_report_submitted", _("Lagebericht zur Freigabe vorgelegt")
    REPORT_RETURNED = "stab.situation_report_returned", _("Lagebericht zurückgegeben")
    REPORT_APPROVED = "stab.situation_report_approved", _("Lagebericht freigegeben")
    REPORT_DISTRIBUTED = "stab.situation_report_distributed", _("Lagebericht verteilt")
    REPORT_RECIPIENTS_CHANGED = "stab.situation_report_recipients_changed", _("Verteiler des Lageberichts geändert")
