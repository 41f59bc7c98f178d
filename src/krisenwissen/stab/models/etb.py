"""The Einsatztagebuch (ETB): one append-only, hash-chained log per staff.

No entry is ever edited or deleted; a correction is a new entry whose ``corrects`` names the
corrected one. Each entry's ``hash`` covers its content and the previous entry's hash
(``chain_hash`` in ``etb_chain.py``), so a change in the database is detectable
(``krisenwissen etb verify STAFF``).
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

__all__ = ["AppendOnlyError", "LogCategory", "LogEntry", "purging_whole_log"]


class AppendOnlyError(PermissionDenied):
    """An ETB entry was to be changed or deleted: the log is append-only."""


# Set only by the retention of a whole log (``etb_retention``): the one path that deletes entries.
_PURGING: contextvars.ContextVar[int | None] = contextvars.ContextVar("krisenwissen_etb_purging", default=None)


@contextlib.contextmanager
def purging_whole_log(staff_pk: int):
    """Allow deleting the entries of ``staff_pk`` (the whole log, after its retention period)."""
    token = _PURGING.set(staff_pk)
    try:
        yield
    finally:
        _PURGING.reset(token)


class LogCategory(models.TextChoices):
    LAGE = "lage", _("Lage")
    MELDUNG_EIN = "meldung_ein", _("Meldung ein")
    MELDUNG_AUS = "meldung_aus", _("Meldung aus")
    ENTSCHEIDUNG = "entscheidung", _("Entscheidung")
    AUFTRAG = "auftrag", _("Auftrag")
    MASSNAHME = "massnahme", _("Maßnahme")
    VORKOMMNIS = "vorkommnis", _("Besonderes Vorkommnis")
    SCHICHTWECHSEL = "schichtwechsel", _("Schichtwechsel")
    ANLAGE = "anlage", _("Anlage")
    KORREKTUR = "korrektur", _("Korrektur")


class LogEntry(models.Model):
    staff = models.ForeignKey("stab.Staff", on_delete=models.PROTECT, related_name="log_entries")
    number = models.PositiveIntegerField(_("Lfd. Nr."))
    event_at = models.DateTimeField(_("Zeitpunkt des Ereignisses"))
    entered_at = models.DateTimeField(_("Zeitpunkt der Eintragung"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Verfasser/in"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(_("Verfasser/in (Name)"), max_length=200, blank=True)
    author_function = models.CharField(_("Funktion"), max_length=200, blank=True)
    category = models.CharField(_("Kategorie"), max_length=20, choices=LogCategory.choices)
    text = models.TextField(_("Inhalt"))
    corrects = models.ForeignKey("self", verbose_name=_("Korrigiert Eintrag"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    # Idempotency: an entry sent twice (double click, offline queue) is stored once.
    client_key = models.CharField(max_length=64, blank=True)
    # When the author wrote the entry on the device (an entry written offline and sent later
    # keeps its original time of writing; covered by the hash; empty: written at entered_at).
    written_at = models.DateTimeField(_("Geschrieben am (Gerät)"), null=True, blank=True)
    # An attachment is an entry of its own (category Anlage): the stored, sanitised file, its
    # original name, media type and SHA-256 (covered by the entry's hash).
    attachment = models.FileField(_("Anlage"), upload_to="stab/etb/", blank=True)
    attachment_name = models.CharField(_("Dateiname der Anlage"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["staff", "number"]
        verbose_name = _("ETB-Eintrag")
        verbose_name_plural = _("ETB-Einträge")
        constraints = [
            models.UniqueConstraint(fields=["staff", "number"], name="stab_logentry_unique_number"),
            models.UniqueConstraint(fields=["staff", "client_key"], condition=~models.Q(client_key=""), name="stab_logentry_unique_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        """Only new entries are written: an existing entry is never changed (append-only)."""
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError(_("Ein ETB-Eintrag kann nicht geändert werden. Bitte schreiben Sie eine Korrektur."))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_delete(self)
        return super().delete(*args, **kwargs)


def _refuse_delete(entry: LogEntry) -> None:
    if _PURGING.get() != entry.staff_id:
        raise AppendOnlyError(_("Ein ETB-Eintrag kann nicht gelöscht werden. Bitte schreiben Sie eine Korrektur."))


@receiver(pre_delete, sender=LogEntry, dispatch_uid="stab_etb_append_only")
def _refuse_queryset_delete(sender, instance, **kwargs):
    """Also ``LogEntry.objects.filter(...).delete()`` and cascades ask this (pre_delete per row)."""
    _refuse_delete(instance)
