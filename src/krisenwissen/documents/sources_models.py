"""Research sources (the sources part of issue 18): interviews, surveys, literature.

- ``Interview``: the consent and retention of one interview whose pseudonymised transcript is a
  ``Document`` of kind interview (its version's ``text``; ``turns`` are the speaker turns with
  offsets into that text). When ``retention_until`` has passed, the retention run deletes the
  document with its versions, files and codings (``sources_retention``).
- ``Survey``: an imported survey export; only the question columns and the municipality of each
  response are kept (system columns such as IP address or token are dropped at import).
  ``SurveyFreeText`` links each free-text question to its codable document (kind umfrage).
- ``LiteratureRecord``: a reference from RIS/BibTeX, linked to a knowledge ``Source`` (kind
  literature) that observations cite.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Municipality
from krisenwissen.knowledge.models import Source, Visibility

__all__ = ["Interview", "LiteratureRecord", "Survey", "SurveyFreeText"]


class Interview(models.Model):
    document = models.OneToOneField("documents.Document", verbose_name=_("Transkript"), on_delete=models.CASCADE,
                                    related_name="interview")
    consent_date = models.DateField(_("Einwilligung erteilt am"))
    consent_note = models.CharField(_("Form der Einwilligung"), max_length=500,
                                    help_text=_("z. B. „schriftlich, Formular v2 im Projektordner“"))
    retention_until = models.DateField(_("Aufbewahren bis"), db_index=True)
    # [{role, speaker, start, end, time}] with offsets into the current version's text
    turns = models.JSONField(_("Sprecherwechsel"), default=list, blank=True)
    speakers = models.PositiveIntegerField(_("Pseudonymisierte Sprechende"), default=0)
    replaced = models.PositiveIntegerField(_("Ersetzte personenbezogene Angaben"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Interview")
        verbose_name_plural = _("Interviews")

    def __str__(self) -> str:
        return str(self.document)

    def get_absolute_url(self) -> str:
        return reverse("documents:sources_interview", args=[self.pk])


class Survey(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel"), max_length=300)
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.INTERN,
                                  db_index=True)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    # [{code, text, kind, columns, options}] with columns indexing ``answers`` rows
    questions = models.JSONField(_("Fragen"), default=list)
    answers = models.JSONField(_("Antworten"), default=list)
    # per response: the id of the municipality it came from (None when unknown)
    response_municipalities = models.JSONField(_("Kommunen der Antworten"), default=list)
    unmatched_municipalities = models.PositiveIntegerField(_("Nicht zugeordnete Kommunen"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Importiert am"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:sources_survey", args=[self.pk])


class SurveyFreeText(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="free_texts")
    code = models.CharField(_("Frage"), max_length=300)
    document = models.OneToOneField("documents.Document", on_delete=models.CASCADE, related_name="survey_free_text")
    # [{row, start, end}]: each answer's offsets in the document's text
    answers = models.JSONField(_("Antworten"), default=list)

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("Freitextantworten einer Frage")
        verbose_name_plural = _("Freitextantworten")

    def __str__(self) -> str:
        return f"{self.survey}: {self.code}"


class LiteratureRecord(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.INTERN,
                                  db_index=True)
    title = models.CharField(_("Titel"), max_length=1000)
    authors = models.JSONField(_("Autorinnen und Autoren"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    doi = models.CharField(_("DOI"), max_length=300, blank=True, db_index=True)
    title_key = models.CharField(_("Titel (normalisiert)"), max_length=1000, db_index=True)
    container = models.CharField(_("Zeitschrift / Sammelwerk"), max_length=500, blank=True)
    publisher = models.CharField(_("Verlag / Institution"), max_length=300, blank=True)
    url = models.CharField(_("Adresse"), max_length=500, blank=True)
    entry_type = models.CharField(_("Art des Eintrags"), max_length=20, blank=True)
    abstract = models.TextField(_("Zusammenfassung"), blank=True)
    keywords = models.JSONField(_("Schlagwörter"), default=list, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("Quelle"), on_delete=models.PROTECT, related_name="literature_records")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Importiert am"), auto_now_add=True)

    class Meta:
        ordering = ["title", "year"]
        verbose_name = _("Literaturangabe")
        verbose_name_plural = _("Literaturangaben")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title
