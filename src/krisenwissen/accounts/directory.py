"""Sign-in through a city's directory: LDAP/Active Directory and OpenID Connect.

Both are Django authentication backends configured entirely by settings (from environment
variables, see ``settings/base.py`` and ``docs/anmeldung.md``). Local accounts keep working
beside them: a directory never signs in a person whose account is local, and local
memberships are never changed by a directory.

At each sign-in the person's directory groups are mapped to municipality roles
(``directorymapping``, one format for both) and ``actions.do_sync_directory_memberships``
aligns the memberships that came from the directory.

LDAP uses ``ldap3`` (pure Python): search the person with a service account, bind as the
person with the password given, search the groups that name the person as member.
OpenID Connect uses ``mozilla-django-oidc`` (authorization-code flow) with stricter checks:
issuer and audience of the ID token, accounts matched by issuer and ``sub`` (never by e-mail).
"""

from __future__ import annotations

import logging
import re
import ssl
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation

from krisenwissen.core.policy import SYSTEM

from . import actions
from .directorymapping import MappingError, parse_group_mapping
from .models import AccountSource, Role, User

logger = logging.getLogger("krisenwissen.accounts.directory")

MAX_USERNAME = 150
MAX_PASSWORD = 1024
MAX_GROUPS = 2000
_USERNAME_OK = re.compile(r"^[^\x00-\x1f\x7f]{1,150}$")


@lru_cache(maxsize=8)
def _parsed_mapping(text: str) -> dict:
    return parse_group_mapping(text, roles=tuple(Role.values))


def group_mapping(setting_name: str) -> dict:
    """The parsed mapping of a setting (``KRISENWISSEN_LDAP_GROUP_ROLES`` / ``..._OIDC_...``)."""
    return _parsed_mapping(str(getattr(settings, setting_name, "") or ""))


def _mapping_or_none(setting_name: str) -> dict | None:
    """The parsed mapping, or None (and an error in the log) when the operator's text is broken."""
    try:
        return group_mapping(setting_name)
    except MappingError as exc:
        logger.error("%s is invalid, directory sign-in refused: %s", setting_name, exc)
        return None


def _sync(user: User, groups: list[str], *, setting_name: str, source: str) -> bool:
    """Align the directory memberships; False (sign-in refused) when the mapping is broken."""
    mapping = _mapping_or_none(setting_name)
    if mapping is None:
        return False
    result = actions.do_sync_directory_memberships(user=user, groups=groups, mapping=mapping, source=source, acting_user=SYSTEM)
    if result["unknown"]:
        logger.warning("%s names municipalities the platform does not know: %s", setting_name, ", ".join(result["unknown"]))
    return True


def _update_profile(user: User, **fields: str) -> None:
    changed = [name for name, value in fields.items() if value and getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)


# ---------------------------------------------------------------------------------------------
# LDAP / Active Directory
# ---------------------------------------------------------------------------------------------


def ldap_configured() -> bool:
    return bool(getattr(settings, "KRISENWISSEN_LDAP_SERVER_URI", ""))


def _first(attributes: dict, name: str) -> str:
    if not name:
        return ""
    value = attributes.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


class LDAPBackend(BaseBackend):
    """Username and password checked against LDAP or Active Directory (search, then bind)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not ldap_configured() or not username or not password:
            return None  # an empty password would be an anonymous ("unauthenticated") bind
        if len(password) > MAX_PASSWORD or not _USERNAME_OK.match(username):
            return None
        local = User.objects.filter(username__iexact=username).exclude(account_source=AccountSource.LDAP).first()
        if local is not None:
            return None  # a local (or OpenID Connect) account of that name is not the directory's
        if _mapping_or_none("KRISENWISSEN_LDAP_GROUP_ROLES") is None:
            return None  # refused before anything is written
        try:
            found = self._check_password(username, password)
        except ImproperlyConfigured:
            raise
        except Exception as exc:  # ldap3 raises many kinds (socket, TLS, protocol)
            logger.error("LDAP sign-in of %r failed: %s: %s", username, type(exc).__name__, exc)
            return None
        if found is None:
            return None
        canonical, attributes, groups = found
        user = User.objects.filter(username__iexact=canonical, account_source=AccountSource.LDAP).first()
        if user is None:
            if User.objects.filter(username__iexact=canonical).exists():
                return None
            user = actions.do_create_directory_account(username=canonical, source=AccountSource.LDAP, acting_user=SYSTEM)
        if not user.is_active:
            return None
        _update_profile(user, first_name=_first(attributes, settings.KRISENWISSEN_LDAP_ATTR_FIRST_NAME)[:150],
                        last_name=_first(attributes, settings.KRISENWISSEN_LDAP_ATTR_LAST_NAME)[:150],
                        email=_first(attributes, settings.KRISENWISSEN_LDAP_ATTR_EMAIL)[:254])
        if not _sync(user, groups, setting_name="KRISENWISSEN_LDAP_GROUP_ROLES", source=AccountSource.LDAP):
            return None
        return user

    def get_user(self, user_id):
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    # -- the LDAP conversation ------------------------------------------------------------------

    @staticmethod
    def _server():
        import ldap3

        uri = settings.KRISENWISSEN_LDAP_SERVER_URI
        tls = None
        if uri.lower().startswith("ldaps://") or settings.KRISENWISSEN_LDAP_START_TLS:
            tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.KRISENWISSEN_LDAP_CA_FILE or None)
        return ldap3.Server(uri, get_info=ldap3.NONE, tls=tls, connect_timeout=settings.KRISENWISSEN_LDAP_TIMEOUT)

    def _connection(self, server, user=None, password=None):
        import ldap3

        conn = ldap3.Connection(server, user=user, password=password, auto_bind=ldap3.AUTO_BIND_NONE,
                                receive_timeout=settings.KRISENWISSEN_LDAP_TIMEOUT, auto_referrals=False,
                                raise_exceptions=False, read_only=True)
        conn.open()
        if settings.KRISENWISSEN_LDAP_START_TLS and not server.ssl:
            if not conn.start_tls():
                conn.unbind()
                raise ConnectionError(f"StartTLS refused: {conn.result}")
        return conn

    def _check_password(self, username: str, password: str):
        """(canonical username, attributes, group DNs) if the password is right, else None."""
        import ldap3
        from ldap3.utils.conv import escape_filter_chars

        server = self._server()
        attr_names = [a for a in (settings.KRISENWISSEN_LDAP_ATTR_USERNAME, settings.KRISENWISSEN_LDAP_ATTR_FIRST_NAME,
                                  settings.KRISENWISSEN_LDAP_ATTR_LAST_NAME, settings.KRISENWISSEN_LDAP_ATTR_EMAIL) if a]
        service = self._connection(server, settings.KRISENWISSEN_LDAP_BIND_DN or None,
                                   settings.KRISENWISSEN_LDAP_BIND_PASSWORD or None)
        try:
            if settings.KRISENWISSEN_LDAP_BIND_DN and not service.bind():
                logger.error("LDAP service bind as %s failed: %s", settings.KRISENWISSEN_LDAP_BIND_DN, service.result.get("description"))
                return None
            search_filter = settings.KRISENWISSEN_LDAP_USER_FILTER.replace("{username}", escape_filter_chars(username))
            service.search(settings.KRISENWISSEN_LDAP_USER_SEARCH_BASE, search_filter, search_scope=ldap3.SUBTREE,
                           attributes=attr_names, size_limit=2, time_limit=settings.KRISENWISSEN_LDAP_TIMEOUT)
            entries = [e for e in service.response or [] if e.get("type") == "searchResEntry"]
            if len(entries) != 1:
                if len(entries) > 1:
                    logger.warning("LDAP user filter matches more than one entry for %r; sign-in refused", username)
                return None
            user_dn, attributes = entries[0]["dn"], dict(entries[0].get("attributes") or {})
            person = self._connection(server, user_dn, password)
            try:
                if not person.bind():
                    return None
            finally:
                person.unbind()
            groups: list[str] = []
            if settings.KRISENWISSEN_LDAP_GROUP_SEARCH_BASE:
                group_filter = settings.KRISENWISSEN_LDAP_GROUP_FILTER.replace("{user_dn}", escape_filter_chars(user_dn)).replace(
                    "{username}", escape_filter_chars(username))
                service.search(settings.KRISENWISSEN_LDAP_GROUP_SEARCH_BASE, group_filter, search_scope=ldap3.SUBTREE,
                               attributes=[], size_limit=MAX_GROUPS, time_limit=settings.KRISENWISSEN_LDAP_TIMEOUT)
                groups = [e["dn"] for e in service.response or [] if e.get("type") == "searchResEntry"]
            canonical = _first(attributes, settings.KRISENWISSEN_LDAP_ATTR_USERNAME) or username
            if not _USERNAME_OK.match(canonical):
                return None
            return canonical, attributes, groups
        finally:
            service.unbind()


# ---------------------------------------------------------------------------------------------
# OpenID Connect
# ---------------------------------------------------------------------------------------------


def oidc_configured() -> bool:
    return all(getattr(settings, name, "") for name in (
        "OIDC_RP_CLIENT_ID", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT"))


def _claim(claims: dict, path: str):
    """A claim by name; a dotted path reaches into objects (``resource_access.krisenwissen.roles``)."""
    if path in claims:
        return claims[path]
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def groups_from_claims(claims: dict) -> list[str]:
    value = _claim(claims, settings.KRISENWISSEN_OIDC_GROUPS_CLAIM)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(g) for g in value[:MAX_GROUPS] if isinstance(g, str | int)]


def _oidc_base_backend():
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    return OIDCAuthenticationBackend


class OIDCBackend(_oidc_base_backend()):
    """Service accounts of Keycloak, ADFS or Entra ID through the authorization-code flow."""

    def authenticate(self, request, **kwargs):
        import requests

        if not oidc_configured() or _mapping_or_none("KRISENWISSEN_OIDC_GROUP_ROLES") is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ValueError, KeyError, SuspiciousOperation) as exc:
            logger.error("OpenID Connect sign-in failed: %s: %s", type(exc).__name__, exc)
            return None
        except Exception as exc:  # PyJWT's errors (expired, bad key …)
            import jwt

            if isinstance(exc, jwt.PyJWTError):
                logger.error("OpenID Connect sign-in failed: %s: %s", type(exc).__name__, exc)
                return None
            raise

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token: it must come from our provider and be meant for us
            issuer = settings.KRISENWISSEN_OIDC_ISSUER
            if issuer and payload.get("iss") != issuer:
                raise SuspiciousOperation(f"ID token issuer {payload.get('iss')!r} is not {issuer!r}")
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token is not meant for this client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """Claims of the ID token and the userinfo endpoint (Entra ID puts groups in the token)."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo belongs to another subject than the ID token")
        return {**payload, **userinfo}

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    @staticmethod
    def _external_id(claims) -> str:
        issuer = settings.KRISENWISSEN_OIDC_ISSUER or claims.get("iss", "")
        return f"{issuer}|{claims['sub']}"[:255]

    def filter_users_by_claims(self, claims):
        return User.objects.filter(account_source=AccountSource.OIDC, external_id=self._external_id(claims))

    def _username(self, claims) -> str:
        wanted = str(_claim(claims, settings.KRISENWISSEN_OIDC_USERNAME_CLAIM) or "").strip()[:MAX_USERNAME]
        if wanted and _USERNAME_OK.match(wanted) and not User.objects.filter(username__iexact=wanted).exists():
            return wanted
        import hashlib

        return "dienstkonto-" + hashlib.sha256(self._external_id(claims).encode()).hexdigest()[:16]

    def create_user(self, claims):
        user = actions.do_create_directory_account(
            username=self._username(claims), source=AccountSource.OIDC, external_id=self._external_id(claims),
            first_name=str(claims.get("given_name") or ""), last_name=str(claims.get("family_name") or ""),
            email=str(claims.get("email") or ""), acting_user=SYSTEM)
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if not user.is_active:
            return None
        _update_profile(user, first_name=str(claims.get("given_name") or "")[:150],
                        last_name=str(claims.get("family_name") or "")[:150], email=str(claims.get("email") or "")[:254])
        if not _sync(user, groups_from_claims(claims), setting_name="KRISENWISSEN_OIDC_GROUP_ROLES", source=AccountSource.OIDC):
            return None
        return user
