"""Audit events of the Einsatztagebuch."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class EtbEvent(models.TextChoices):
    ENTRY_APPENDED = "stab.etb_entry_appended", _("ETB-Eintrag geschrieben")
    LOG_HANDED_OVER = "stab.etb_log_handed_over", _("ETB-Führung übergeben")
    LOG_EXPORTED = "stab.etb_exported", _("Einsatztagebuch exportiert")
    LOG_PURGED = "stab.etb_purged", _("Einsatztagebuch nach Ablauf der Aufbewahrungsfrist gelöscht")
