"""Audit events of accounts and the municipality directory (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krisenwissen.core.audit import register_events


@register_events
class AccountsEvent(models.TextChoices):
    PERSON_CREATED = "accounts.person_created", _("Person angelegt")
    MEMBERSHIP_SET = "accounts.membership_set", pgettext_lazy("audit event", "Rolle vergeben")
    MEMBERSHIP_REMOVED = "accounts.membership_removed", _("Mitgliedschaft entfernt")
    LOGIN_FAILED = "accounts.login_failed", _("Anmeldung fehlgeschlagen")
    PUBLICATION_FOUR_EYES_CHANGED = "accounts.publication_four_eyes_changed", _("Vier-Augen-Prinzip bei Freigaben geändert")
    MUNICIPALITIES_IMPORTED = "accounts.municipalities_imported", _("Gemeindeverzeichnis importiert")
