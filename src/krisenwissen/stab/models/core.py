"""The crisis staff (Krisenstab): templates, activated staffs, their functions and who holds them.

The core that every part of a staff builds on (Einsatztagebuch, Meldungen, Aufträge,
Lagebesprechung, Lagebericht, Schichten, Rückführung). A template (Muster-Szenario) names
functions, never people; activating a staff from a template copies its functions onto the
staff, and people (accounts) are assigned to those functions as holder or deputy.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Municipality

__all__ = [
    "LEITUNG_CODES", "PERSONNEL_CODES", "AlertLevel", "AssignmentRole", "FunctionGroup", "Staff",
    "StaffAssignment", "StaffFunction", "StaffKind", "StaffStatus", "StaffTemplate",
]


class StaffKind(models.TextChoices):
    VERWALTUNGSSTAB = "verwaltungsstab", _("Verwaltungsstab")
    FUEHRUNGSSTAB = "fuehrungsstab", _("Führungsstab (FwDV 100)")
    FACHTEAM = "fachteam", _("Fachteam")
    LAGEZENTRUM = "lagezentrum", _("Lagezentrum")


class FunctionGroup(models.TextChoices):
    """Where a function sits in its doctrine (Verwaltungsstab after the interior ministers'
    guidance, Führungsstab S1–S6 after FwDV 100/DV 100, or a city's own team)."""

    LEITUNG = "leitung", _("Leitung")
    KOORDINIERUNG = "koordinierung", _("Koordinierungsgruppe des Stabes")
    STAENDIG = "staendig", _("Ständiges Mitglied")
    EREIGNISSPEZIFISCH = "ereignisspezifisch", _("Ereignisspezifisches Mitglied")
    VERBINDUNG = "verbindung", _("Verbindungsperson")
    BIUM = "bium", _("Bevölkerungsinformation und Medienarbeit")
    S1 = "s1", _("S1 Personal/Innerer Dienst")
    S2 = "s2", _("S2 Lage")
    S3 = "s3", _("S3 Einsatz")
    S4 = "s4", _("S4 Versorgung")
    S5 = "s5", _("S5 Presse- und Medienarbeit")
    S6 = "s6", _("S6 Information und Kommunikation")
    FACHTEAM = "fachteam", _("Fachteam")


# Function codes with a fixed meaning for permissions: the staff's leadership, and the
# personnel function (S1, in a Verwaltungsstab the function coded "s1" too).
LEITUNG_CODES = frozenset({"leitung"})
PERSONNEL_CODES = frozenset({"s1"})


class StaffTemplate(models.Model):
    """A Muster-Szenario: functions with deputies, teams, agenda, rhythm, first tasks, checklists.

    ``municipality`` empty = shipped with the platform (read-only for cities, copied to edit).
    ``data`` follows the schema in ``templates_schema.py`` (validated on every write).
    """

    key = models.SlugField(_("Schlüssel"), max_length=80)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("Bezeichnung"), max_length=200)
    kind = models.CharField(_("Art des Stabes"), max_length=20, choices=StaffKind.choices, default=StaffKind.VERWALTUNGSSTAB)
    hazard = models.CharField(_("Gefahrenart"), max_length=60, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    data = models.JSONField(_("Inhalt"), default=dict, blank=True)
    active = models.BooleanField(_("Aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Stabsvorlage")
        verbose_name_plural = _("Stabsvorlagen")
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="stab_template_unique_key")]

    def __str__(self) -> str:
        return self.name


class StaffStatus(models.TextChoices):
    AKTIV = "aktiv", _("Aktiviert")
    DEAKTIVIERT = "deaktiviert", _("Deaktiviert")


class AlertLevel(models.IntegerChoices):
    VORBEREITUNG = 1, _("Stufe 1 – Vorbereitung/Beobachtung")
    TEILAKTIVIERUNG = 2, _("Stufe 2 – Teilaktivierung")
    VOLLAKTIVIERUNG = 3, _("Stufe 3 – Vollaktivierung")


class Staff(models.Model):
    """One activated staff of one municipality for one crisis (or an exercise: ``exercise``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Bezeichnung"), max_length=200)
    kind = models.CharField(_("Art des Stabes"), max_length=20, choices=StaffKind.choices, default=StaffKind.VERWALTUNGSSTAB)
    template = models.ForeignKey(StaffTemplate, verbose_name=_("Vorlage"), null=True, blank=True, on_delete=models.SET_NULL, related_name="staffs")
    crisis = models.ForeignKey("knowledge.Crisis", verbose_name=_("Krise"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    exercise = models.BooleanField(_("Übung"), default=False, help_text=_("Ein Übungsstab ist auf jeder Seite, in jedem Bericht und jeder Benachrichtigung als ÜBUNG gekennzeichnet."))
    status = models.CharField(_("Status"), max_length=20, choices=StaffStatus.choices, default=StaffStatus.AKTIV, db_index=True)
    alert_level = models.PositiveSmallIntegerField(_("Alarmstufe"), choices=AlertLevel.choices, default=AlertLevel.VOLLAKTIVIERUNG)
    meeting_rhythm_hours = models.PositiveSmallIntegerField(_("Besprechungsrhythmus (Stunden)"), default=24)
    # The next Lagebesprechung as announced (at activation, and by every meeting for the next one).
    next_meeting_at = models.DateTimeField(_("Nächste Lagebesprechung"), null=True, blank=True)
    activated_at = models.DateTimeField(_("Aktiviert am"))
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Aktiviert von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deactivated_at = models.DateTimeField(_("Deaktiviert am"), null=True, blank=True)
    # The ETB-Führer (keeper of the staff log); handovers of this role are ETB entries.
    log_keeper = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ETB-Führer/in"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-activated_at"]
        verbose_name = _("Stab")
        verbose_name_plural = _("Stäbe")

    def __str__(self) -> str:
        return f"{_('ÜBUNG')} – {self.name}" if self.exercise else self.name

    @property
    def is_active(self) -> bool:
        return self.status == StaffStatus.AKTIV


class StaffFunction(models.Model):
    """A function of an activated staff (copied from the template, or added later)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="functions")
    code = models.SlugField(_("Kürzel"), max_length=40)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    group = models.CharField(_("Gruppe"), max_length=30, choices=FunctionGroup.choices, default=FunctionGroup.STAENDIG)
    active = models.BooleanField(_("Aktiviert"), default=True, help_text=_("Bei Teilaktivierung sind nur einige Funktionen aktiviert."))
    deputies_required = models.PositiveSmallIntegerField(_("Vertretungen (Soll)"), default=1)
    first_tasks = models.JSONField(_("Erste Aufgaben"), default=list, blank=True)
    checklist = models.JSONField(_("Checkliste"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["staff", "order", "name"]
        verbose_name = _("Stabsfunktion")
        verbose_name_plural = _("Stabsfunktionen")
        constraints = [models.UniqueConstraint(fields=["staff", "code"], name="stab_function_unique_code")]

    def __str__(self) -> str:
        return self.name


class AssignmentRole(models.TextChoices):
    INHABER = "inhaber", _("Inhaber/in")
    VERTRETUNG = "vertretung", _("Vertretung")


class StaffAssignment(models.Model):
    """A person (account) holding a staff function, from ``started_at`` until ``ended_at``."""

    function = models.ForeignKey(StaffFunction, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Person"), on_delete=models.CASCADE, related_name="staff_assignments")
    role = models.CharField(_("Rolle"), max_length=20, choices=AssignmentRole.choices, default=AssignmentRole.INHABER)
    started_at = models.DateTimeField(_("Seit"))
    ended_at = models.DateTimeField(_("Bis"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Zugewiesen von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["function", "role", "started_at"]
        verbose_name = _("Funktionsbesetzung")
        verbose_name_plural = _("Funktionsbesetzungen")
        indexes = [models.Index(fields=["user", "ended_at"], name="stab_assignment_user_open")]

    def __str__(self) -> str:
        return f"{self.function}: {self.user}"
