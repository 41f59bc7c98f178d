"""Brute-force protection for every login path: progressive waits, counted before the check.

One mechanism for every way a password reaches ``django.contrib.auth.authenticate()`` (our
login page, the Django admin login, a directory backend added later): :class:`LoginThrottleBackend`
stands first in ``AUTHENTICATION_BACKENDS``. It checks no password itself; it counts the
attempt and, when a wait is running, stops ``authenticate()`` (``PermissionDenied``) before any
later backend checks the password. Django's ``user_logged_in``/``user_login_failed``/
``user_logged_out`` signals write the audit rows. :class:`LoginThrottleMiddleware` turns a
refused attempt into HTTP 429 with ``Retry-After``; the login forms say how long to wait.

Three counters (``LoginThrottle`` rows), each with its own free attempts and growing waits
(``LOGIN_THROTTLE`` setting):

- ``pair`` (account name + client address): few free attempts, then 30 s, 1, 2, 4 … 15 min;
- ``address`` (client address, from ``core.clientaddress``, so never the proxy of a whole
  city): more free attempts, then the same growing waits (password spraying);
- ``account`` (account name from anywhere): many free attempts, then only short waits
  (at most a minute).

From an address an account has signed in from within ``known_address_days``, only the pair
counts for that account: an attacker elsewhere, or spraying from the same address (a city's
NAT), cannot lock the person out; one on the very same address guessing this very account
can delay it (pair waits), which no address-based scheme can tell apart.

Race-free: the attempt is counted (as a failure, pessimistically) *before* the password is
checked, under row locks (``SELECT … FOR UPDATE``; SQLite's IMMEDIATE transactions serialise
writers), so of 30 parallel guesses only the free ones are checked. A successful login takes
its count back and clears its pair. Counters are forgotten ``forget_after`` seconds after the
last failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from krisenwissen.core.audit import home_municipality, log_security_event, record
from krisenwissen.core.clientaddress import client_address
from krisenwissen.core.policy import SYSTEM

from .events import AccountsEvent
from .models import LoginThrottle, ThrottleScope

DEFAULTS = {
    "pair": {"free": 5, "first_delay": 30, "max_delay": 15 * 60},
    "address": {"free": 20, "first_delay": 30, "max_delay": 15 * 60},
    "account": {"free": 50, "first_delay": 5, "max_delay": 60},
    "forget_after": 24 * 3600,
    "known_address_days": 90,
}


def config() -> dict:
    return {**DEFAULTS, **getattr(settings, "LOGIN_THROTTLE", {})}


@dataclass
class Verdict:
    allowed: bool
    wait_seconds: int = 0
    reserved: list[int] = field(default_factory=list)
    first_refusal: bool = False  # the first refused attempt of this wait (gets an audit row)


def normalize(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]


def _keys(name: str, address: str | None) -> list[tuple[str, str]]:
    keys = [(ThrottleScope.PAIR, f"{name}|{address or '-'}")]
    if address:
        keys.append((ThrottleScope.ADDRESS, address))
    if name:
        keys.append((ThrottleScope.ACCOUNT, name))
    return keys


def delay(scope: str, failures: int) -> int:
    """Seconds to wait after ``failures`` failures in ``scope`` (0: no wait)."""
    rule = config()[scope]
    if failures < rule["free"]:
        return 0
    return int(min(rule["max_delay"], rule["first_delay"] * 2 ** min(failures - rule["free"], 32)))


def _blocked_until(row: LoginThrottle) -> datetime | None:
    seconds = delay(row.scope, row.failures)
    return row.last_failure_at + timedelta(seconds=seconds) if seconds and row.last_failure_at else None


def _locked_rows(keys: list[tuple[str, str]]) -> list[LoginThrottle]:
    condition = Q()
    for scope, key in keys:
        condition |= Q(scope=scope, key=key)
    for _attempt in range(3):  # a concurrent forget_old_counters() may delete a row just made
        LoginThrottle.objects.bulk_create([LoginThrottle(scope=s, key=k) for s, k in keys], ignore_conflicts=True)
        # A fixed order keeps concurrent lockers from deadlocking.
        rows = list(LoginThrottle.objects.select_for_update().filter(condition).order_by("scope", "key"))
        if len(rows) == len(keys):
            return rows
    raise RuntimeError("login throttle rows vanished three times")


def _refusal(rows: list[LoginThrottle], now: datetime) -> Verdict | None:
    waits = [row.blocked_until for row in rows if row.blocked_until and row.blocked_until > now]
    if waits:
        return Verdict(False, wait_seconds=max(1, math.ceil((max(waits) - now).total_seconds())))
    return None


def begin_attempt(username: str | None, address: str | None) -> Verdict:
    """Count a login attempt before its password is checked; refuse it while a wait runs."""
    cfg = config()
    name = normalize(username)
    now = timezone.now()
    forget_old_counters()  # bounded table: an attacker's counters go after forget_after
    with transaction.atomic():
        rows = _locked_rows(_keys(name, address))
        pair = next(r for r in rows if r.scope == ThrottleScope.PAIR)
        known_address = bool(pair.last_success_at and pair.last_success_at > now - timedelta(days=cfg["known_address_days"]))
        # From an address this account signed in from before, only the pair counts: neither a
        # sprayer behind the same address (NAT, proxy) nor many addresses shut the person out.
        ids = [r.pk for r in rows if r.scope == ThrottleScope.PAIR or not known_address]
        counted = LoginThrottle.objects.filter(pk__in=ids)
        counted.filter(last_failure_at__lt=now - timedelta(seconds=cfg["forget_after"])).update(failures=0, blocked_until=None)
        # One atomic UPDATE counts the attempt, and only where no wait runs: the database
        # decides, not a value read before (no count-then-insert race).
        free = Q(blocked_until__isnull=True) | Q(blocked_until__lte=now)
        if counted.filter(free).update(failures=F("failures") + 1, last_failure_at=now) != len(ids):
            verdict = _refusal(list(counted), now) or Verdict(False, wait_seconds=1)
            transaction.set_rollback(True)  # a wait runs: count nothing
        else:
            for row in counted:
                row.blocked_until = _blocked_until(row)
                row.refusal_logged = False
                row.save(update_fields=["blocked_until", "refusal_logged"])
            return Verdict(True, reserved=ids)
    verdict.first_refusal = LoginThrottle.objects.filter(
        pk__in=ids, blocked_until__gt=now, refusal_logged=False).update(refusal_logged=True) > 0
    return verdict


def attempt_succeeded(username: str, address: str | None, reserved: list[int]) -> None:
    """A login succeeded: take back its reserved count, clear and remember its pair."""
    now = timezone.now()
    with transaction.atomic():
        for row in LoginThrottle.objects.select_for_update().filter(pk__in=reserved).order_by("scope", "key"):
            row.failures = max(0, row.failures - 1)
            row.blocked_until = _blocked_until(row)
            row.save(update_fields=["failures", "blocked_until"])
        LoginThrottle.objects.update_or_create(
            scope=ThrottleScope.PAIR, key=_keys(normalize(username), address)[0][1],
            defaults={"failures": 0, "blocked_until": None, "last_success_at": now},
        )


def forget_old_counters(now: datetime | None = None) -> int:
    """Delete counters whose last failure is older than ``forget_after`` (and no known address)."""
    cfg = config()
    now = now or timezone.now()
    since = now - timedelta(seconds=cfg["forget_after"])
    stale = LoginThrottle.objects.filter(Q(last_failure_at__lt=since) | Q(last_failure_at__isnull=True)).filter(
        Q(last_success_at__isnull=True) | Q(last_success_at__lt=now - timedelta(days=cfg["known_address_days"])))
    return stale.delete()[0]


def wait_text(seconds: int) -> str:
    """"30 Sekunden", "2 Minuten" (rounded up)."""
    if seconds <= 45:
        return ngettext("%(n)d Sekunde", "%(n)d Sekunden", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d Minute", "%(n)d Minuten", minutes) % {"n": minutes}


def throttled_message(seconds: int) -> str:
    return _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(wait)s und versuchen Sie es dann erneut.") % {
        "wait": wait_text(seconds)}


def verdict_of(request) -> Verdict | None:
    return getattr(request, "login_throttle", None)


class LoginThrottleBackend:
    """First authentication backend: counts every password attempt, stops those that must wait."""

    def authenticate(self, request, username=None, password=None, **credentials):
        if request is None or password is None:
            return None  # not a password sign-in of an HTTP client (tests' login(), OIDC callbacks)
        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD)
        verdict = begin_attempt(username, client_address(request))
        request.login_throttle = verdict
        request.login_throttle_username = normalize(username)
        if not verdict.allowed:
            raise PermissionDenied(throttled_message(verdict.wait_seconds))
        return None

    # No get_user(): this backend never signs anyone in (and so tests' force_login() and
    # sessions pick the next backend).


class ThrottleMessageMixin:
    """For ``AuthenticationForm`` subclasses: say how long to wait instead of "wrong password"."""

    def get_invalid_login_error(self):
        verdict = verdict_of(self.request)
        if verdict is not None and not verdict.allowed:
            return ValidationError(throttled_message(verdict.wait_seconds), code="throttled")
        return super().get_invalid_login_error()


class LoginThrottleMiddleware:
    """A refused login attempt, on any path, is answered with 429 and ``Retry-After``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        verdict = verdict_of(request)
        if verdict is not None and not verdict.allowed and response.status_code < 400:
            response.status_code = 429
            response.reason_phrase = "Too Many Requests"
            response["Retry-After"] = str(verdict.wait_seconds)
        return response


# --- audit rows, through Django's signals ------------------------------------------------

def _from_http_client(request) -> bool:
    """Requests that came through the middleware (not tests' ``force_login`` or scripts)."""
    return request is not None and hasattr(request, "client_address")


def _is_admin_login(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.namespace == "admin")


def on_logged_in(sender, request, user, **kwargs):
    if not _from_http_client(request):
        return
    verdict = verdict_of(request)
    attempt_succeeded(user.get_username(), request.client_address, verdict.reserved if verdict else [])
    event = AccountsEvent.ADMIN_LOGIN if _is_admin_login(request) else AccountsEvent.LOGIN_SUCCEEDED
    record(event, acting_user=user, obj=user, municipality=home_municipality(user), path=request.path[:300])


def on_login_failed(sender, credentials, request=None, **kwargs):
    if not _from_http_client(request):
        return
    verdict = verdict_of(request)
    if verdict is None:
        return  # not a password attempt (no credentials our backend looked at)
    name = getattr(request, "login_throttle_username", "")
    person = get_user_model().objects.filter(**{f"{get_user_model().USERNAME_FIELD}__iexact": name}).first() if name else None
    details = {"username": name, "path": request.path[:300], "admin": _is_admin_login(request)}
    if verdict.allowed:
        record(AccountsEvent.LOGIN_FAILED, acting_user=SYSTEM, obj=person, municipality=home_municipality(person), **details)
    elif verdict.first_refusal:
        record(AccountsEvent.LOGIN_THROTTLED, acting_user=SYSTEM, obj=person, municipality=home_municipality(person),
               wait_seconds=verdict.wait_seconds, **details)
    else:  # further refusals of the same wait: the log line only (no table an attacker can fill)
        log_security_event(AccountsEvent.LOGIN_THROTTLED, municipality=home_municipality(person),
                           obj_repr=str(person or ""), wait_seconds=verdict.wait_seconds, **details)


def on_logged_out(sender, request, user, **kwargs):
    if user is None or not _from_http_client(request):
        return
    record(AccountsEvent.LOGGED_OUT, acting_user=user, obj=user, municipality=home_municipality(user),
           expired=bool(getattr(request, "session_expired", False)))
