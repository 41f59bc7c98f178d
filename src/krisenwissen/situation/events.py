"""Audit events of the Lagebild (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class SituationEvent(models.TextChoices):
    DATA_IMPORTED = "situation.data_imported", _("Daten importiert")
    INDICATOR_CREATED = "situation.indicator_created", _("Indikator angelegt")
    VALUE_RECORDED = "situation.value_recorded", _("Wert erfasst")
    AREAS_FOLLOWED = "situation.areas_followed", _("Gebiete ausgewählt")
    NOTE_CREATED = "situation.note_created", _("Lagenotiz angelegt")
    RULESET_SAVED = "situation.ruleset_saved", _("Regelsatz gespeichert")
    SHARED_DATA_REVISED = "situation.shared_data_revised", _("Gemeinsame Gebietsdaten korrigiert")
    RULE_STATUS_CHANGED = "situation.rule_status_changed", _("Regelstatus durch Datenkorrektur geändert")
