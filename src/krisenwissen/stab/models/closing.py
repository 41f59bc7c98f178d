"""Rückführung (the way back to normal) and the hot debrief of a staff: the ``closing`` part.

A staff is deactivated through a Rückführung checklist (``ClosingChecklist``): open tasks
handed to the regular organisation (``TaskHandover``), the open decisions confirmed, the
archive of log and documents confirmed, the members notified. Deactivation needs the
checklist complete or a recorded justification. Re-activation keeps everything: a later
deactivation starts a new checklist; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ClosingChecklist", "TaskHandover"]


class ClosingChecklist(models.Model):
    """One Rückführung of a staff (open until the staff is deactivated with it)."""

    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="closings")
    started_at = models.DateTimeField(_("Begonnen am"), auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decisions_confirmed_at = models.DateTimeField(_("Offene Entscheidungen bestätigt am"), null=True, blank=True)
    decisions_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decisions_note = models.TextField(_("Vermerk zu offenen Entscheidungen"), blank=True)
    archive_confirmed_at = models.DateTimeField(_("Archivierung bestätigt am"), null=True, blank=True)
    archive_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    archive_note = models.CharField(_("Ablage des Archivs"), max_length=500, blank=True)
    members_notified_at = models.DateTimeField(_("Mitglieder benachrichtigt am"), null=True, blank=True)
    members_notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    members_notified_count = models.PositiveIntegerField(_("Benachrichtigte Mitglieder"), default=0)
    # Set when the staff is deactivated with this checklist.
    closed_at = models.DateTimeField(_("Deaktiviert am"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    complete_at_close = models.BooleanField(_("Checkliste vollständig"), default=False)
    justification = models.TextField(_("Begründung der Deaktivierung trotz offener Punkte"), blank=True)
    debrief = models.ForeignKey("workshops.Workshop", verbose_name=_("Nachbesprechung"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # Set when the staff is activated again after this deactivation.
    reopened_at = models.DateTimeField(_("Wieder aktiviert am"), null=True, blank=True)

    class Meta:
        ordering = ["staff", "-started_at"]
        verbose_name = _("Rückführung")
        verbose_name_plural = _("Rückführungen")
        constraints = [models.UniqueConstraint(fields=["staff"], condition=models.Q(closed_at__isnull=True),
                                               name="stab_closing_one_open_per_staff")]

    def __str__(self) -> str:
        return f"{_('Rückführung')}: {self.staff}"


class TaskHandover(models.Model):
    """An open task of the staff handed to the regular organisation of the municipality."""

    checklist = models.ForeignKey(ClosingChecklist, on_delete=models.CASCADE, related_name="handovers")
    task = models.ForeignKey("stab.Task", on_delete=models.CASCADE, related_name="handovers")
    owner_text = models.CharField(_("Übernehmende Dienststelle/Person"), max_length=300, blank=True)
    owner_person = models.ForeignKey("people.Person", verbose_name=_("Übernehmende Person"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    owner_organisation = models.ForeignKey("people.Organisation", verbose_name=_("Übernehmende Organisation"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="+")
    handed_at = models.DateTimeField(_("Übergeben am"))
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["checklist", "task__number"]
        verbose_name = _("Übergabe eines Auftrags")
        verbose_name_plural = _("Übergaben von Aufträgen")
        constraints = [models.UniqueConstraint(fields=["checklist", "task"], name="stab_handover_unique_task")]

    def __str__(self) -> str:
        return f"{self.task}: {self.owner_label}"

    @property
    def owner_label(self) -> str:
        parts = [str(p) for p in (self.owner_organisation, self.owner_person) if p is not None]
        if self.owner_text:
            parts.append(self.owner_text)
        return " – ".join(parts)
