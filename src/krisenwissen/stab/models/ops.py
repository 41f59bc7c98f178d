"""Meldungen and Aufträge of a staff (the ``ops`` part; meetings and reports live in ``meet``).

A **Meldung** follows the German four-part message form (Vierfachvordruck): taken in or
written out (Annahme/Aufnahme), seen by the staff's Sichter who notes and routes it to
functions (Sichtung, Verteilung), and taken note of by each receiving function
(Kenntnisnahme/Erledigung). An **Auftrag** is what a function has to do by when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Message", "MessageAcknowledgement", "MessageChannel", "MessageDirection", "MessagePriority",
    "MessageSettings", "MessageStatus", "OPEN_TASK_STATES", "PRIORITY_RANK", "Task", "TaskStatus",
]


class TaskStatus(models.TextChoices):
    OFFEN = "offen", _("Offen")
    IN_ARBEIT = "in_arbeit", _("In Arbeit")
    ERLEDIGT = "erledigt", _("Erledigt")
    ABGEBROCHEN = "abgebrochen", _("Abgebrochen")


OPEN_TASK_STATES = (TaskStatus.OFFEN, TaskStatus.IN_ARBEIT)


class Task(models.Model):
    """An Auftrag: what a function of the staff has to do by when, with its feedback."""

    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveIntegerField(_("Nr."))
    title = models.CharField(_("Auftrag"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    owner_function = models.ForeignKey("stab.StaffFunction", verbose_name=_("Zuständige Funktion"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    due_at = models.DateTimeField(_("Fällig"), null=True, blank=True, db_index=True)
    status = models.CharField(_("Status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OFFEN, db_index=True)
    feedback = models.TextField(_("Rückmeldung"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Erteilt von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Erteilt am"), default=timezone.now)
    done_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Abgeschlossen von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Idempotency: a form sent twice (double click, reload) creates one task.
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["staff", "number"]
        verbose_name = _("Auftrag")
        verbose_name_plural = _("Aufträge")
        constraints = [
            models.UniqueConstraint(fields=["staff", "number"], name="stab_task_unique_number"),
            models.UniqueConstraint(fields=["staff", "client_key"], condition=~models.Q(client_key=""), name="stab_task_unique_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATES

    def is_overdue(self, now=None) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < (now or timezone.now()))


class MessageDirection(models.TextChoices):
    EINGANG = "eingang", _("Eingang")
    AUSGANG = "ausgang", _("Ausgang")


class MessageChannel(models.TextChoices):
    TELEFON = "telefon", _("Telefon")
    FUNK = "funk", _("Funk")
    EMAIL = "email", _("E-Mail")
    FAX = "fax", _("Fax")
    MELDER = "melder", _("Melder")
    PERSOENLICH = "persoenlich", _("persönlich")


class MessagePriority(models.TextChoices):
    BLITZ = "blitz", _("Blitz")
    SOFORT = "sofort", _("Sofort")
    NORMAL = "normal", _("Normal")


# Sort rank: Blitz first, then Sofort, then Normal.
PRIORITY_RANK = {MessagePriority.BLITZ: 0, MessagePriority.SOFORT: 1, MessagePriority.NORMAL: 2}


class MessageStatus(models.TextChoices):
    AUFGENOMMEN = "aufgenommen", _("Aufgenommen (wartet auf Sichtung)")
    VERTEILT = "verteilt", _("Gesichtet und verteilt")
    ERLEDIGT = "erledigt", _("Erledigt")


class Message(models.Model):
    """A Meldung after the four-part message form (Vierfachvordruck)."""

    staff = models.ForeignKey("stab.Staff", on_delete=models.CASCADE, related_name="messages")
    number = models.PositiveIntegerField(_("Nr."))
    # 1. Annahme/Aufnahme
    direction = models.CharField(_("Richtung"), max_length=10, choices=MessageDirection.choices, default=MessageDirection.EINGANG)
    channel = models.CharField(_("Übermittlungsart"), max_length=20, choices=MessageChannel.choices, default=MessageChannel.TELEFON)
    priority = models.CharField(_("Vorrang"), max_length=10, choices=MessagePriority.choices, default=MessagePriority.NORMAL, db_index=True)
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    sender = models.CharField(_("Absender/in"), max_length=200)
    recipient = models.CharField(_("Empfänger/in"), max_length=200)
    transmitted_at = models.DateTimeField(_("Zeit (Übermittlung)"))
    content = models.TextField(_("Inhalt"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Aufgenommen von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("Aufgenommen am"), default=timezone.now)
    # 2./3. Sichtung und Verteilung
    status = models.CharField(_("Status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.AUFGENOMMEN, db_index=True)
    sichter_note = models.TextField(_("Sichtervermerk"), blank=True)
    distribution = models.ManyToManyField("stab.StaffFunction", verbose_name=_("Verteiler"), blank=True, related_name="+")
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Gesichtet von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    routed_at = models.DateTimeField(_("Gesichtet am"), null=True, blank=True)
    # 4. Erledigung (the Kenntnisnahmen are MessageAcknowledgement rows)
    done_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["staff", "priority_rank", "-number"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.UniqueConstraint(fields=["staff", "number"], name="stab_message_unique_number"),
            models.UniqueConstraint(fields=["staff", "client_key"], condition=~models.Q(client_key=""), name="stab_message_unique_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.content[:60]}"

    @property
    def is_blitz(self) -> bool:
        return self.priority == MessagePriority.BLITZ


class MessageAcknowledgement(models.Model):
    """Kenntnisnahme: a member of a receiving function took note of a message (who and when)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="acknowledgements")
    function = models.ForeignKey("stab.StaffFunction", verbose_name=_("Funktion"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Person"), null=True, on_delete=models.SET_NULL, related_name="+")
    user_name = models.CharField(_("Name"), max_length=200, blank=True)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        ordering = ["message", "at"]
        verbose_name = _("Kenntnisnahme")
        verbose_name_plural = _("Kenntnisnahmen")
        constraints = [models.UniqueConstraint(fields=["message", "function"], name="stab_message_ack_once_per_function")]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.function}"


class MessageSettings(models.Model):
    """Per-staff settings of the message flow: which function is the Sichter.

    Without a row (or without a chosen function) the default applies, see
    ``msg_selectors.sichter_function``.
    """

    staff = models.OneToOneField("stab.Staff", on_delete=models.CASCADE, related_name="message_settings")
    sichter_function = models.ForeignKey("stab.StaffFunction", verbose_name=_("Sichtende Funktion"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Einstellungen der Meldungen")
        verbose_name_plural = _("Einstellungen der Meldungen")

    def __str__(self) -> str:
        return f"{self.staff}: {self.sichter_function or '-'}"
