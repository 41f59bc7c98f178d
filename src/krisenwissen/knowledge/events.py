"""Audit events of the knowledge base (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class KnowledgeEvent(models.TextChoices):
    ITEM_CREATED = "knowledge.item_created", _("angelegt")
    ITEM_CHANGED = "knowledge.item_changed", _("Inhalt geändert")
    VISIBILITY_LOWERED = "knowledge.visibility_lowered", _("Sichtbarkeit eingeschränkt")
    PUBLICATION_REQUESTED = "knowledge.publication_requested", _("Freigabe beantragt")
    PUBLICATION_APPROVED = "knowledge.publication_approved", _("Freigabe erteilt")
    PUBLICATION_REJECTED = "knowledge.publication_rejected", _("Freigabe abgelehnt")
    OBSERVATION_SUBMITTED = "knowledge.observation_submitted", _("eingereicht")
    OBSERVATION_ACCEPTED = "knowledge.observation_accepted", _("geprüft")
    OBSERVATION_REJECTED = "knowledge.observation_rejected", _("abgelehnt")
    LESSON_ENDORSED = "knowledge.lesson_endorsed", _("bestätigt")
    LESSON_IMPLEMENTATION_STARTED = "knowledge.lesson_implementation_started", _("Maßnahmen in Umsetzung")
    LESSON_VALIDATED = "knowledge.lesson_validated", _("überprüft")
    LESSON_EMBEDDED = "knowledge.lesson_embedded", _("verankert")
    LESSON_ARCHIVED = "knowledge.lesson_archived", _("archiviert")
    LESSON_REPLACED = "knowledge.lesson_replaced", _("ersetzt")
    CRISIS_CREATED = "knowledge.crisis_created", _("Krise angelegt")
