"""Qualitative coding of document texts (the coding part of issue 18).

A ``Coding`` assigns a code of the shared code book (``knowledge.Code``) to a character range
of one ``DocumentVersion.text``. Offsets follow REFI-QDA's ``PlainTextSelection``:
``startPosition``/``endPosition`` count Unicode code points from 0, the end is exclusive, so
the coded segment is ``version.text[start:end]`` in Python (NOT UTF-16 code units as in
JavaScript strings; the coding page converts in the browser).

A ``Memo`` is a note on a code, a document or a coding. ``CodeGuid`` keeps the REFI-QDA GUID
of a code that came in by import, so a later export writes the same GUID again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krisenwissen.knowledge.models import Code

__all__ = ["CodeGuid", "Coding", "Memo"]


class Coding(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey("documents.DocumentVersion", verbose_name=_("Dokumentversion"), on_delete=models.CASCADE,
                                related_name="codings")
    # Denormalised from ``version`` so that permissions (``rules.document_of``) and lists find it at once.
    document = models.ForeignKey("documents.Document", verbose_name=_("Dokument"), on_delete=models.CASCADE, related_name="codings")
    start = models.PositiveIntegerField(_("Anfang (Zeichen)"))
    end = models.PositiveIntegerField(_("Ende (Zeichen)"))
    code = models.ForeignKey(Code, verbose_name=_("Code"), on_delete=models.PROTECT, related_name="codings")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Codiert von"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    # The coder's name as shown (kept when the account is gone or the coding came from another program).
    coder_name = models.CharField(_("Name der codierenden Person"), max_length=200)
    created_at = models.DateTimeField(_("Codiert am"), auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end", "pk"]
        verbose_name = _("Codierung")
        verbose_name_plural = _("Codierungen")
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="documents_coding_nonempty")]
        indexes = [models.Index(fields=["code", "document"], name="documents_coding_code_doc")]

    def __str__(self) -> str:
        return f"{self.code} [{self.start}:{self.end}] {self.document}"

    @property
    def segment(self) -> str:
        return self.version.text[self.start:self.end]


class Memo(models.Model):
    """A note on exactly one of: a code, a document, a coding."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.ForeignKey(Code, verbose_name=_("Code"), null=True, blank=True, on_delete=models.CASCADE, related_name="memos")
    document = models.ForeignKey("documents.Document", verbose_name=_("Dokument"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="memos")
    coding = models.ForeignKey(Coding, verbose_name=_("Codierung"), null=True, blank=True, on_delete=models.CASCADE, related_name="memos")
    text = models.TextField(_("Memo"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Verfasst von"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(_("Name der verfassenden Person"), max_length=200)
    created_at = models.DateTimeField(_("Verfasst am"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Memo")
        verbose_name_plural = _("Memos")
        constraints = [models.CheckConstraint(
            condition=(Q(code__isnull=False, document__isnull=True, coding__isnull=True)
                       | Q(code__isnull=True, document__isnull=False, coding__isnull=True)
                       | Q(code__isnull=True, document__isnull=True, coding__isnull=False)),
            name="documents_memo_one_target")]

    def __str__(self) -> str:
        return self.text[:60]


class CodeGuid(models.Model):
    """The REFI-QDA GUID of a code of the code book (set on import, kept for later exports)."""

    code = models.OneToOneField(Code, on_delete=models.CASCADE, related_name="qda_guid")
    guid = models.UUIDField(unique=True)

    class Meta:
        verbose_name = _("REFI-QDA-Kennung eines Codes")
        verbose_name_plural = _("REFI-QDA-Kennungen von Codes")

    def __str__(self) -> str:
        return str(self.guid)
