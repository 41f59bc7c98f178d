"""Audit events of the platform itself: exchange files and demo content (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import mark_security_events, register_events


@register_events
class CoreEvent(models.TextChoices):
    DATA_IMPORTED = "core.data_imported", _("Daten importiert")
    DATA_EXPORTED = "core.data_exported", _("Daten exportiert")
    DEMO_LOADED = "core.demo_loaded", _("Demo-Daten geladen")
    DATA_DOWNLOADED = "core.data_downloaded", _("Daten heruntergeladen")
    PERMISSION_DENIED = "core.permission_denied", _("Zugriff verweigert")
    RETENTION_APPLIED = "core.retention_applied", _("Aufbewahrungsfristen angewendet")


mark_security_events(CoreEvent.DATA_DOWNLOADED, CoreEvent.PERMISSION_DENIED)


