"""Lagebesprechung (situation meeting) and Lagebericht (situation report) of a staff (``meet`` part).

A meeting runs through a fixed agenda (Lage first, then the functions in the staff's order,
Leitung closes); every step (start, contribution, decision, next item, close) is stored at
once, so a server restart during a meeting loses nothing and the meeting page resumes at the
current item. Closing renders the protocol (PDF/UA and DOCX) and stores both files.

A Lagebericht is compiled from one section per function plus a snapshot of the Lagebild
(figures and rule status of the staff's municipality), approved by the Leitung and
distributed to a distribution list (functions, members, free e-mail addresses).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AgendaItem", "AgendaKind", "ContributionKind", "Meeting", "MeetingContribution", "MeetingDecision",
    "MeetingStatus", "ReportRecipient", "ReportSection", "ReportStatus", "SituationReport",
]


class MeetingStatus(models.TextChoices):
    LAUFEND = "laufend", _("Läuft")
    GESCHLOSSEN = "geschlossen", _("Geschlossen")


class Meeting(models.Model):
    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveIntegerField(_("Nr."))
    status = models.CharField(_("Status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.LAUFEND, db_index=True)
    planned_minutes = models.PositiveSmallIntegerField(_("Zeitrahmen (Minuten)"), default=30)
    started_at = models.DateTimeField(_("Begonnen"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Geleitet von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("Geschlossen"), null=True, blank=True)
    # Position of the current agenda item (AgendaItem.position); resumes here after a restart.
    current_position = models.PositiveSmallIntegerField(default=0)
    next_meeting_at = models.DateTimeField(_("Nächste Lagebesprechung"), null=True, blank=True)
    # Snapshot of the Lagebild (figures, rule status) when the meeting started: the Lage item.
    lagebild = models.JSONField(default=dict, blank=True)
    protocol_pdf = models.BinaryField(_("Protokoll (PDF)"), blank=True, default=b"")
    protocol_docx = models.BinaryField(_("Protokoll (DOCX)"), blank=True, default=b"")
    protocol_sha256 = models.CharField(max_length=64, blank=True)
    protocol_entry = models.ForeignKey("stab.LogEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["staff", "-number"]
        verbose_name = _("Lagebesprechung")
        verbose_name_plural = _("Lagebesprechungen")
        constraints = [models.UniqueConstraint(fields=["staff", "number"], name="stab_meeting_unique_number")]

    def __str__(self) -> str:
        return f"{_('Lagebesprechung')} {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == MeetingStatus.LAUFEND


class AgendaKind(models.TextChoices):
    LAGE = "lage", _("Lage")
    FUNKTION = "funktion", _("Funktion")
    LEITUNG = "leitung", _("Leitung (Abschluss)")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=AgendaKind.choices)
    function = models.ForeignKey("stab.StaffFunction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("Tagesordnungspunkt"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("Zeitfenster (Minuten)"), default=3)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="stab_agenda_unique_position")]

    def __str__(self) -> str:
        return self.title


class ContributionKind(models.TextChoices):
    FAKT = "fakt", _("Fakt")
    ANNAHME = "annahme", _("Annahme")
    FRAGE = "frage", _("Frage")


class MeetingContribution(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="contributions")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("Art"), max_length=20, choices=ContributionKind.choices)
    function = models.ForeignKey("stab.StaffFunction", verbose_name=_("Funktion"), null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("Beitrag"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "client_key"], condition=~models.Q(client_key=""), name="stab_contribution_unique_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("Entscheidung"))
    task = models.ForeignKey("stab.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "client_key"], condition=~models.Q(client_key=""), name="stab_decision_unique_key")]

    def __str__(self) -> str:
        return self.text[:60]


class ReportStatus(models.TextChoices):
    ENTWURF = "entwurf", _("Entwurf")
    ZUR_FREIGABE = "zur_freigabe", _("Zur Freigabe")
    FREIGEGEBEN = "freigegeben", _("Freigegeben")
    VERTEILT = "verteilt", _("Verteilt")


class SituationReport(models.Model):
    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="situation_reports")
    number = models.PositiveIntegerField(_("Nr."))
    title = models.CharField(_("Titel"), max_length=200)
    status = models.CharField(_("Status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.ENTWURF, db_index=True)
    # Snapshot of the Lagebild (figures and rule status) taken when the report is created and
    # refreshed when it is submitted; frozen from then on.
    lagebild = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    distributed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["staff", "-number"]
        verbose_name = _("Lagebericht")
        verbose_name_plural = _("Lageberichte")
        constraints = [models.UniqueConstraint(fields=["staff", "number"], name="stab_sitreport_unique_number")]

    def __str__(self) -> str:
        return f"{_('Lagebericht')} {self.number}: {self.title}"


class ReportSection(models.Model):
    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="sections")
    function = models.ForeignKey("stab.StaffFunction", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("Abschnitt"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "function__order", "function__name"]
        constraints = [models.UniqueConstraint(fields=["report", "function"], name="stab_section_unique_function")]

    def __str__(self) -> str:
        return f"{self.report}: {self.function}"

    @property
    def staff(self):
        return self.report.staff


class ReportRecipient(models.Model):
    """One entry of a report's distribution list: a function, a member, or a free address."""

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="recipients")
    function = models.ForeignKey("stab.StaffFunction", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        if self.function_id:
            return str(self.function)
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.email
