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
    LOGIN_FAILED = "accounts.login_failed", _("Anmeldung fehlgeschlagen")
    PUBLICATION_FOUR_EYES_CHANGED = "accounts.publication_four_eyes_changed", _("Vier-Augen-Prinzip bei Freigaben geändert")
    DIRECTORY_MEMBERSHIP_SET = "accounts.directory_membership_set", _("Rolle aus dem Verzeichnis übernommen")
    DIRECTORY_MEMBERSHIP_REMOVED = "accounts.directory_membership_removed", _("Rolle aus dem Verzeichnis entzogen")
    DIRECTORY_ACCOUNT_CREATED = "accounts.directory_account_created", _("Konto aus dem Verzeichnis angelegt")
    MUNICIPALITIES_IMPORTED = "accounts.municipalities_imported", _("Gemeindeverzeichnis importiert")
    INVITATION_SENT = "accounts.invitation_sent", _("Einladung versandt")
    PASSWORD_SET = "accounts.password_set", _("Passwort gesetzt")
    PASSWORD_CHANGED = "accounts.password_changed", _("Passwort geändert")
    PASSWORD_RESET_REQUESTED = "accounts.password_reset_requested", _("Passwort-Zurücksetzung angefordert")
    TOTP_ENROLLED = "accounts.totp_enrolled", _("Zweiter Faktor eingerichtet")
    TOTP_RESET = "accounts.totp_reset", _("Zweiter Faktor zurückgesetzt")
    TOTP_FAILED = "accounts.totp_failed", _("Falscher Code für den zweiten Faktor")
    LOGIN_SUCCEEDED = "accounts.login_succeeded", _("Anmeldung erfolgreich")
    ADMIN_LOGIN = "accounts.admin_login", _("Anmeldung in der technischen Verwaltung")
    LOGIN_THROTTLED = "accounts.login_throttled", _("Anmeldung wegen zu vieler Fehlversuche abgewiesen")
    LOGGED_OUT = "accounts.logged_out", _("Abmeldung")
    PERSON_ERASED = "accounts.person_erased", _("Person gelöscht (pseudonymisiert)")
    PERSON_DATA_EXPORTED = "accounts.person_data_exported", _("Auskunft über gespeicherte Daten erteilt")
    MUNICIPALITY_JOINED = "accounts.municipality_joined", _("Kommune in die Plattform aufgenommen")
    NETWORK_JOINED = "accounts.network_joined", _("Kommune einem Netzwerk angeschlossen")


# Sign-in events are security events: also JSON lines on the logger ``krisenwissen.security``.
mark_security_events(
    AccountsEvent.LOGIN_FAILED, AccountsEvent.LOGIN_SUCCEEDED, AccountsEvent.ADMIN_LOGIN,
    AccountsEvent.LOGIN_THROTTLED, AccountsEvent.LOGGED_OUT,
    AccountsEvent.PASSWORD_SET, AccountsEvent.PASSWORD_CHANGED, AccountsEvent.PASSWORD_RESET_REQUESTED,
    AccountsEvent.TOTP_ENROLLED, AccountsEvent.TOTP_RESET, AccountsEvent.TOTP_FAILED,
    AccountsEvent.PERSON_ERASED, AccountsEvent.PERSON_DATA_EXPORTED,
)
