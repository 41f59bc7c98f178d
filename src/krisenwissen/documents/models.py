"""Documents and qualitative research: uploaded documents, their versions and passages.

A ``Document`` is what a person uploads (a plan, a protocol, an interview transcript, a
survey's free-text answers, a paper); each upload of changed content is a new
``DocumentVersion`` (same content hash = duplicate, not a new version). Extraction turns a
version into ``text`` (the one text every offset refers to) and ``Passage`` rows with stable
ids, page numbers and character offsets into that text. Codings (qualitative analysis) point
at character ranges of a version's text, as REFI-QDA does.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.knowledge.models import Phase, Visibility


class DocumentKind(models.TextChoices):
    DOKUMENT = "dokument", _("Verwaltungsdokument")
    INTERVIEW = "interview", _("Interview")
    UMFRAGE = "umfrage", _("Umfrage (Freitextantworten)")
    LITERATUR = "literatur", _("Literatur")


class Document(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel"), max_length=300)
    kind = models.CharField(_("Art"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.DOKUMENT)
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.INTERN, db_index=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    phase = models.ForeignKey(Phase, verbose_name=_("Krisenphase"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    department_function = models.CharField(_("Funktion der Dienststelle"), max_length=30,
                                           choices=DepartmentFunction.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Hochgeladen von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])


class VersionStatus(models.TextChoices):
    WARTET = "wartet", _("Wartet auf Verarbeitung")
    IN_ARBEIT = "in_arbeit", _("Wird verarbeitet")
    FERTIG = "fertig", _("Verarbeitet")
    OCR_FEHLT = "ocr_fehlt", _("Texterkennung nicht verfügbar – Datei für später aufbewahrt")
    FEHLER = "fehler", _("Fehler")


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    content_hash = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64, db_index=True)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    media_type = models.CharField(_("Dateiformat"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"), default=0)
    file = models.FileField(_("Original"), upload_to="documents/%Y/%m/", max_length=300)
    status = models.CharField(_("Status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.WARTET, db_index=True)
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    error = models.TextField(_("Fehlermeldung"), blank=True)
    page_count = models.PositiveIntegerField(_("Seiten"), null=True, blank=True)
    ocr_used = models.BooleanField(_("Mit Texterkennung (OCR)"), default=False)
    # The extracted text: every passage's and every coding's offsets refer to it.
    text = models.TextField(_("Text"), blank=True, default="")
    # Safe OCR corrections applied to ``text``, with the words as read: [{page, original, corrected}].
    corrections = models.JSONField(_("OCR-Korrekturen"), default=list, blank=True)
    # Hints from extraction for the reader (skipped attachments, OCR time-outs).
    notes = models.JSONField(_("Hinweise"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("Dokumentversion")
        verbose_name_plural = _("Dokumentversionen")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.document} (v{self.number})"


class Passage(models.Model):
    """A passage of a version's text with its page and character offsets (``text[start:end]``)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="passages")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    # Stable within the document across re-extraction of the same content: "p<page>-<n>".
    key = models.CharField(_("Kennung"), max_length=40)
    order = models.PositiveIntegerField(_("Reihenfolge"))
    page = models.PositiveIntegerField(_("Seite"), null=True, blank=True)
    heading = models.CharField(_("Überschrift"), max_length=300, blank=True)
    start = models.PositiveIntegerField(_("Anfang (Zeichen)"))
    end = models.PositiveIntegerField(_("Ende (Zeichen)"))
    text = models.TextField(_("Text"))
    quote = models.BooleanField(_("Zitat"), default=False)
    # Suggestions for turning the passage into an observation (theme, crisis, phase, kind, places);
    # computed after extraction, see ``documents.suggestions``.
    suggestions = models.JSONField(_("Vorschläge"), default=dict, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("Textstelle")
        verbose_name_plural = _("Textstellen")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="documents_passage_unique_key")]

    def __str__(self) -> str:
        return f"{self.document} S. {self.page or '–'}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        # the search knows only the passage's id: this address redirects into the viewer
        return reverse("documents:passage", args=[self.pk])


class DocumentCitation(models.Model):
    """An observation taken from a passage: it cites the document and the page."""

    observation = models.OneToOneField("knowledge.Observation", on_delete=models.CASCADE, related_name="document_citation")
    # the page and document stay when a passage is re-extracted away
    passage = models.ForeignKey(Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    page = models.PositiveIntegerField(_("Seite"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Beleg aus einem Dokument")
        verbose_name_plural = _("Belege aus Dokumenten")

    def __str__(self) -> str:
        return f"{self.document}, S. {self.page or '–'}"


from .coding_models import *  # noqa: E402, F401, F403
from .sources_models import *  # noqa: E402, F401, F403
