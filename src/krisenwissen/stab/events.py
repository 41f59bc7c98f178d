"""Audit events of the crisis staff core (keys English, labels German). The parts declare
theirs in ``<part>_events.py``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class StabEvent(models.TextChoices):
    STAFF_ACTIVATED = "stab.staff_activated", _("Stab aktiviert")
    FUNCTION_ASSIGNED = "stab.function_assigned", _("Stabsfunktion besetzt")
    FUNCTION_RELEASED = "stab.function_released", _("Stabsfunktion freigegeben")
    ALERT_LEVEL_SET = "stab.alert_level_set", _("Alarmstufe des Stabes geändert")
    TEMPLATE_COPIED = "stab.template_copied", _("Stabsvorlage kopiert")
    TEMPLATE_UPDATED = "stab.template_updated", _("Stabsvorlage geändert")
    TEMPLATES_SHIPPED = "stab.templates_shipped", _("Mitgelieferte Stabsvorlagen eingespielt")
