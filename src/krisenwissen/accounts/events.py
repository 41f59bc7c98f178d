"""Audit events of accounts and the municipality directory (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krisenwissen.core.audit import mark_security_events, register_events


@register_events
class AccountsEvent(models.TextChoices):
    PERSON_CREATED = "accounts.person_created", _("Person angelegt")
    MEMBERSHIP_SET = "accounts.membership_set", pgettext_lazy("audit event", "Rolle vergeben")
    MEMBERSHIP_REMOVED = "accounts.membership_removed", _("Mitgliedschaft entfernt")
    MUNICIPALITIES_IMPORTED = "accounts.municipalities_imported", _("Gemeindeverzeichnis importiert")
    LOGIN_FAILED = "accounts.login_failed", _("Anmeldung fehlgeschlagen")
    LOGIN_SUCCEEDED = "accounts.login_succeeded", _("Anmeldung erfolgreich")
    ADMIN_LOGIN = "accounts.admin_login", _("Anmeldung in der technischen Verwaltung")
    LOGIN_THROTTLED = "accounts.login_throttled", _("Anmeldung wegen zu vieler Fehlversuche abgewiesen")
    LOGGED_OUT = "accounts.logged_out", _("Abmeldung")


# Sign-in events are security events: also JSON lines on the logger ``krisenwissen.security``.
mark_security_events(
    AccountsEvent.LOGIN_FAILED, AccountsEvent.LOGIN_SUCCEEDED, AccountsEvent.ADMIN_LOGIN,
    AccountsEvent.LOGIN_THROTTLED, AccountsEvent.LOGGED_OUT,
)
