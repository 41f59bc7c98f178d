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
    DIRECTORY_MEMBERSHIP_SET = "accounts.directory_membership_set", _("Rolle aus dem Verzeichnis übernommen")
    DIRECTORY_MEMBERSHIP_REMOVED = "accounts.directory_membership_removed", _("Rolle aus dem Verzeichnis entzogen")
    DIRECTORY_ACCOUNT_CREATED = "accounts.directory_account_created", _("Konto aus dem Verzeichnis angelegt")
    MUNICIPALITIES_IMPORTED = "accounts.municipalities_imported", _("Gemeindeverzeichnis importiert")
