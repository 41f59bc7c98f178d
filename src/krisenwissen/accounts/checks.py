"""System checks of the directory sign-in settings (``krisenwissen check``, ``check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from .directorymapping import MappingError, parse_group_mapping
from .models import Role

OIDC_REQUIRED = ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
                 "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT", "KRISENWISSEN_OIDC_ISSUER")


@register()
def check_directory_sign_in(app_configs=None, **kwargs):
    messages = []
    for name in ("KRISENWISSEN_LDAP_GROUP_ROLES", "KRISENWISSEN_OIDC_GROUP_ROLES"):
        try:
            parse_group_mapping(str(getattr(settings, name, "") or ""), roles=tuple(Role.values))
        except MappingError as exc:
            messages.append(Error(f"{name}: {exc}", hint="Siehe docs/anmeldung.md.", id="krisenwissen.E201"))
    if getattr(settings, "KRISENWISSEN_LDAP_SERVER_URI", ""):
        if not getattr(settings, "KRISENWISSEN_LDAP_USER_SEARCH_BASE", ""):
            messages.append(Error("KRISENWISSEN_LDAP_SERVER_URI ist gesetzt, KRISENWISSEN_LDAP_USER_SEARCH_BASE nicht.",
                                  id="krisenwissen.E202"))
        uri = settings.KRISENWISSEN_LDAP_SERVER_URI.lower()
        if not uri.startswith("ldaps://") and not settings.KRISENWISSEN_LDAP_START_TLS:
            messages.append(Warning("LDAP ohne TLS: Passwörter gehen im Klartext über das Netz.",
                                    hint="ldaps:// verwenden oder KRISENWISSEN_LDAP_START_TLS=1 setzen.", id="krisenwissen.W201"))
    started = [name for name in OIDC_REQUIRED if getattr(settings, name, "")]
    if started and len(started) < len(OIDC_REQUIRED):
        missing = [name for name in OIDC_REQUIRED if name not in started]
        messages.append(Error("OpenID Connect ist nur teilweise eingerichtet; es fehlt: " + ", ".join(missing),
                              hint="Siehe docs/anmeldung.md (Umgebungsvariablen KRISENWISSEN_OIDC_*).", id="krisenwissen.E203"))
    return messages
