"""Cross-cutting records: the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change, written in the same transaction as the change itself."""

    timestamp = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ausgeführt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("Aktion"), max_length=80, db_index=True)
    object_type = models.CharField(_("Objekttyp"), max_length=80, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality",
        verbose_name=_("Kommune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("Details"), default=dict, blank=True)
    client_address = models.GenericIPAddressField(
        _("Client-Adresse"), null=True, blank=True,
        help_text=_("Adresse des Geräts, von dem die Anfrage kam (hinter vertrauenswürdigen Proxys aus X-Forwarded-For)."),
    )

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Notification(models.Model):
    """An in-app message for one person (the same text may also have gone out by e-mail).

    Notifications are written only through :func:`krisenwissen.core.notifications.notify`,
    whose callers decide the recipients; a notification never names anything its recipient
    may not read.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True, db_index=True)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"), blank=True)
    url = models.CharField(_("Link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("Gelesen"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notif_unread")]
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")

    def __str__(self) -> str:
        return self.subject


class RateCounter(models.Model):
    """Requests of one client address (and scope) in one fixed time window: shared by every
    worker process through the database, incremented atomically (``core.ratelimit``)."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text="Beginn des Zeitfensters (Sekunden seit 1970)")
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="core_ratecounter_key_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.count}"
