"""Audit events of qualitative coding (registered when ``coding_rules`` is imported at start-up)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class CodingEvent(models.TextChoices):
    SEGMENT_CODED = "documents.segment_coded", _("Textstelle codiert")
    CODING_REMOVED = "documents.coding_removed", _("Codierung entfernt")
    MEMO_ADDED = "documents.memo_added", _("Memo geschrieben")
    CODE_SPLIT = "documents.code_split", _("Code aufgeteilt")
    QDA_EXPORTED = "documents.qda_exported", _("REFI-QDA-Projekt exportiert")
    QDA_IMPORTED = "documents.qda_imported", _("REFI-QDA-Projekt importiert")
    CODEBOOK_EXPORTED = "documents.codebook_exported", _("Codebuch (QDC) exportiert")
    CODEBOOK_IMPORTED = "documents.codebook_imported", _("Codebuch (QDC) importiert")
