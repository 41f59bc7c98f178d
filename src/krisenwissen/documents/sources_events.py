"""Audit events of documents: research sources part (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class SourcesEvent(models.TextChoices):
    INTERVIEW_UPLOADED = "documents.interview_uploaded", _("Interview-Transkript hochgeladen (pseudonymisiert)")
    INTERVIEW_CONSENT_CHANGED = "documents.interview_consent_changed", _("Einwilligung oder Aufbewahrung eines Interviews geändert")
    SURVEY_IMPORTED = "documents.survey_imported", _("Umfrage importiert")
    LITERATURE_IMPORTED = "documents.literature_imported", _("Literatur importiert")
