"""Models of the crisis staff: load part — presence (sign-in/out), shift roster, per-staff limits,
anonymous strain answers and handover briefs.

Privacy (docs/stab-belastung.md): presence and shifts are personal data of the staff's members;
individual figures are shown only to the person and the staff's S1 (``stab.view_individual_load``).
Strain answers are stored WITHOUT the person (staff, day, value only). Everything here is
deleted ``stab_presence`` days after the staff's deactivation (``load_retention``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["HandoverBrief", "LoadSettings", "Presence", "Shift", "StaffPerson", "StrainAnswer"]


class Presence(models.Model):
    """One duty session: a person signed in (for a function) at ``started_at``, out at ``ended_at``."""

    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Person"), on_delete=models.CASCADE, related_name="+")
    function = models.ForeignKey("stab.StaffFunction", verbose_name=_("Funktion"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("Angemeldet"))
    ended_at = models.DateTimeField(_("Abgemeldet"), null=True, blank=True)

    class Meta:
        ordering = ["staff", "-started_at"]
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        indexes = [models.Index(fields=["staff", "user", "ended_at"], name="stab_presence_open")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")), name="stab_presence_end_after_start"),
            # One open session per person and staff (signing in twice is absorbed).
            models.UniqueConstraint(fields=["staff", "user"], condition=models.Q(ended_at__isnull=True), name="stab_presence_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%d.%m. %H:%M}"


class Shift(models.Model):
    """A planned shift of the roster: a function, a person (optional: still to fill), from–to."""

    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="shifts")
    function = models.ForeignKey("stab.StaffFunction", verbose_name=_("Funktion"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Person"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    note = models.CharField(_("Hinweis"), max_length=200, blank=True)

    class Meta:
        ordering = ["staff", "starts_at", "function"]
        verbose_name = _("Schicht")
        verbose_name_plural = _("Schichten")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="stab_shift_end_after_start")]

    def __str__(self) -> str:
        return f"{self.function} {self.starts_at:%d.%m. %H:%M}"


class LoadSettings(models.Model):
    """Per-staff limits; empty fields use the platform defaults (settings ``KRISENWISSEN_STAB_*``)."""

    staff = models.OneToOneField("stab.Staff", on_delete=models.CASCADE, related_name="load_settings")
    max_shift_hours = models.PositiveSmallIntegerField(_("Höchstdauer im Dienst (Stunden)"), null=True, blank=True)
    max_days_without_break = models.PositiveSmallIntegerField(_("Höchstzahl Tage ohne freien Tag"), null=True, blank=True)

    class Meta:
        verbose_name = _("Belastungsgrenzen")
        verbose_name_plural = _("Belastungsgrenzen")

    def __str__(self) -> str:
        return f"{self.staff}: {self.max_shift_hours or '–'} h, {self.max_days_without_break or '–'} d"


class StrainAnswer(models.Model):
    """One anonymous answer of the strain check (1 = gering … 5 = sehr hoch). No person, no time."""

    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="strain_answers")
    day = models.DateField(_("Tag"))
    value = models.PositiveSmallIntegerField(_("Belastung (1–5)"))

    class Meta:
        ordering = ["staff", "day"]
        verbose_name = _("Befindlichkeitsantwort")
        verbose_name_plural = _("Befindlichkeitsantworten")
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="stab_strain_value_1_5")]

    def __str__(self) -> str:
        return f"{self.day}: {self.value}"


class HandoverBrief(models.Model):
    """The generated brief an incoming person reads at shift change (content frozen at creation)."""

    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="handover_briefs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Übernehmende Person"), on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(_("Seit"))
    created_at = models.DateTimeField(_("Erstellt"))
    content = models.JSONField(_("Inhalt"), default=dict)
    acknowledged_at = models.DateTimeField(_("Bestätigt"), null=True, blank=True)
    log_entry = models.ForeignKey("stab.LogEntry", verbose_name=_("ETB-Eintrag"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["staff", "-created_at"]
        verbose_name = _("Übergabebrief")
        verbose_name_plural = _("Übergabebriefe")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d.%m. %H:%M}"


@dataclass(frozen=True)
class StaffPerson:
    """A person's record in a staff: the object ``stab.view_individual_load`` is asked about."""

    staff: object
    user: object
