"""Request-wide security measures: the client address, private responses, sessions that end.

- :class:`ClientAddressMiddleware` resolves the client address once per request
  (``core.clientaddress``) and makes it known to ``core.audit.record`` (every audit row written
  during the request carries it).
- :class:`SecurityEventsMiddleware` sends ``Permissions-Policy`` on every response (static
  files get it from WhiteNoise: ``WHITENOISE_ADD_HEADERS_FUNCTION`` in settings) and
  ``Cache-Control: no-store`` on every response to a signed-in person or to a browser holding a
  session (workshop participants), so that no proxy or browser cache keeps non-public pages,
  CSV, API, PDF or DOCX responses; it logs every download (an attachment or an API answer) of a
  signed-in person as a security event, and every refused permission.
- :class:`SessionTimeoutMiddleware` ends a signed-in session after ``SESSION_IDLE_TIMEOUT``
  seconds without a request and ``SESSION_ABSOLUTE_TIMEOUT`` seconds after the login.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers

from .audit import current_client_address, home_municipality, log_security_event, record
from .clientaddress import client_address
from .events import CoreEvent

LOGIN_AT = "krisenwissen_login_at"
LAST_SEEN = "krisenwissen_last_seen"
# Write the "last seen" time at most this often (seconds): not one session write per request.
LAST_SEEN_RESOLUTION = 60


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = client_address(request)
        token = current_client_address.set(request.client_address)
        try:
            return self.get_response(request)
        finally:
            current_client_address.reset(token)


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _holds_session(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and not session.is_empty()


def record_download(request, response) -> None:
    """The one place where downloads of non-public data are logged (audit row + JSON line)."""
    disposition = response.get("Content-Disposition", "")
    filename = disposition.split("filename=", 1)[1].strip('"') if "filename=" in disposition else ""
    record(
        CoreEvent.DATA_DOWNLOADED, acting_user=request.user, municipality=home_municipality(request.user),
        path=request.path[:300], query=request.META.get("QUERY_STRING", "")[:300], filename=filename[:200],
        content_type=response.get("Content-Type", "")[:100],
    )


def _is_download(request, response) -> bool:
    if response.status_code != 200:
        return False
    if "attachment" in response.get("Content-Disposition", "") or getattr(response, "krisenwissen_download", False):
        return True
    return request.path.startswith(settings.KRISENWISSEN_API_PATH_PREFIX)


class SecurityEventsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if _signed_in(request) or _holds_session(request):
            add_never_cache_headers(response)
        if _signed_in(request) and _is_download(request, response):
            record_download(request, response)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            details = {"path": request.path[:300], "method": request.method, "permission": getattr(exception, "permission", "")}
            if _signed_in(request):
                record(CoreEvent.PERMISSION_DENIED, acting_user=request.user, municipality=home_municipality(request.user), **details)
            else:  # anonymous visitors could fill the audit table at will: the log line only
                log_security_event(CoreEvent.PERMISSION_DENIED, **details)
        return None


def mark_session_start(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the absolute and idle timeouts count from the login."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[LOGIN_AT] = now
        session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Sign a person out after idleness or after the maximum session age (place after auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request):
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> None:
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT)
        last_seen = session.get(LAST_SEEN)
        if not isinstance(login_at, int) or not isinstance(last_seen, int):
            session[LOGIN_AT] = login_at if isinstance(login_at, int) else now
            session[LAST_SEEN] = now
            return
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
            request.session_expired = True
            logout(request)  # the request goes on as anonymous: protected pages ask for a login
            return
        if now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN] = now
