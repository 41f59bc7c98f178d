"""Audit events of the knowledge base (keys English, labels German).

Creating and changing an item has one event per kind, so that the history of a lesson says
"erkannt (angelegt)" and that of an observation "als Entwurf angelegt".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class KnowledgeEvent(models.TextChoices):
    OBSERVATION_CREATED = "knowledge.observation_created", _("als Entwurf angelegt")
    LESSON_CREATED = "knowledge.lesson_created", _("erkannt (angelegt)")
    RECOMMENDATION_CREATED = "knowledge.recommendation_created", _("Handlungsempfehlung angelegt")
    GOODPRACTICE_CREATED = "knowledge.goodpractice_created", _("Gute Praxis angelegt")
    OBSERVATION_CHANGED = "knowledge.observation_changed", _("Inhalt geändert")
    LESSON_CHANGED = "knowledge.lesson_changed", _("Inhalt geändert")
    RECOMMENDATION_CHANGED = "knowledge.recommendation_changed", _("Inhalt geändert")
    GOODPRACTICE_CHANGED = "knowledge.goodpractice_changed", _("Inhalt geändert")
    VISIBILITY_LOWERED = "knowledge.visibility_lowered", _("Sichtbarkeit eingeschränkt")
    VISIBILITY_RAISED = "knowledge.visibility_raised", _("Sichtbarkeit erweitert (Freigabe erteilt)")
    PUBLICATION_REQUESTED = "knowledge.publication_requested", _("Freigabe beantragt")
    PUBLICATION_APPROVED = "knowledge.publication_approved", _("Freigabe erteilt")
    PUBLICATION_REJECTED = "knowledge.publication_rejected", _("Freigabe abgelehnt")
    REVISION_REQUESTED = "knowledge.revision_requested", _("Änderung zur Freigabe vorgelegt")
    REVISION_PUBLISHED = "knowledge.revision_published", _("Geänderte Fassung freigegeben")
    REVIEW_TEXT_EDITED = "knowledge.review_text_edited", _("Text bei der Freigabeprüfung bearbeitet")
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
    CODE_CREATED = "knowledge.code_created", _("Code angelegt")
    CODE_RENAMED = "knowledge.code_renamed", _("Code umbenannt")
    CODE_MOVED = "knowledge.code_moved", _("Code verschoben")
    CODES_MERGED = "knowledge.codes_merged", _("Codes zusammengeführt")
    SOURCE_CREATED = "knowledge.source_created", _("Quelle angelegt")

    @classmethod
    def created(cls, kind_key: str) -> "KnowledgeEvent":
        """The creation event of an item kind (``Observation.kind_key`` etc.)."""
        return cls(f"knowledge.{kind_key}_created")

    @classmethod
    def changed(cls, kind_key: str) -> "KnowledgeEvent":
        return cls(f"knowledge.{kind_key}_changed")

