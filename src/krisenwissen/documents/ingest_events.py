"""Audit events of documents: ingest part (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class IngestEvent(models.TextChoices):
    DOCUMENT_UPLOADED = "documents.document_uploaded", _("Dokument hochgeladen")
    VERSION_ADDED = "documents.version_added", _("Neue Fassung eines Dokuments hochgeladen")
    DUPLICATE_UPLOAD = "documents.duplicate_upload", _("Dokument war bereits vorhanden")
    VERSION_EXTRACTED = "documents.version_extracted", _("Dokument verarbeitet")
    VERSION_FAILED = "documents.version_failed", _("Dokument konnte nicht verarbeitet werden")
    ORIGINAL_DOWNLOADED = "documents.original_downloaded", _("Original eines Dokuments heruntergeladen")
    OBSERVATION_FROM_PASSAGE = "documents.observation_from_passage", _("Beobachtung aus einer Textstelle übernommen")
    DOCUMENT_UPDATED = "documents.document_updated", _("Angaben oder Sichtbarkeit eines Dokuments geändert")
