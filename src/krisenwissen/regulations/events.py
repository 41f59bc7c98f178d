"""Audit events of the Verordnungs-Synopse (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class RegulationsEvent(models.TextChoices):
    LEGAL_TEXT_CREATED = "regulations.legal_text_created", _("Rechtstext angelegt")
    VERSION_ADDED = "regulations.version_added", _("Fassung hinzugefügt")
    VERSION_UPDATED = "regulations.version_updated", _("Fassung aktualisiert")
    VERSION_DETAILS_CHANGED = "regulations.version_details_changed", _("Angaben zur Fassung geändert")
    VERSIONS_IMPORTED = "regulations.versions_imported", _("Fassungen importiert")
    AMENDING_ACT_APPLIED = "regulations.amending_act_applied", _("Änderungsverordnung angewendet")
    KEYWORD_RULE_CREATED = "regulations.keyword_rule_created", _("Stichwortregel angelegt")
    KEYWORD_RULE_CHANGED = "regulations.keyword_rule_changed", _("Stichwortregel geändert")
    KEYWORD_RULE_DELETED = "regulations.keyword_rule_deleted", _("Stichwortregel gelöscht")
    SUBSCRIPTION_STARTED = "regulations.subscription_started", _("Abonnement begonnen")
    SUBSCRIPTION_ENDED = "regulations.subscription_ended", _("Abonnement beendet")

