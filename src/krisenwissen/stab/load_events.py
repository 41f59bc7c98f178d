"""Audit events of the load part (presence, roster, limits, handover). Strain answers are
NOT audited with a person (they are anonymous)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class LoadEvent(models.TextChoices):
    SIGNED_IN = "stab.load_signed_in", _("Im Stab angemeldet (Dienstbeginn)")
    SIGNED_OUT = "stab.load_signed_out", _("Im Stab abgemeldet (Dienstende)")
    SHIFT_PLANNED = "stab.load_shift_planned", _("Schicht geplant")
    SHIFT_REMOVED = "stab.load_shift_removed", _("Schicht gelöscht")
    LIMITS_CHANGED = "stab.load_limits_changed", _("Belastungsgrenzen geändert")
    HANDOVER_CREATED = "stab.load_handover_created", _("Übergabebrief erstellt")
    HANDOVER_ACKNOWLEDGED = "stab.load_handover_acknowledged", _("Übergabe bestätigt")
