"""Corredor's one settings module. Every knob is an environment variable with a safe default."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DATA_DIR = Path(env_str("CORREDOR_DATA_DIR", str(REPO_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# The development key is only good on a developer's machine; deployments set SECRET_KEY. A server without
# DEBUG refuses to start on it (see `corredor.core.checks`, which also guards the audit key below).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-deployment"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
# The development servers and the test suite run on the development keys; every other process without
# DEBUG is a deployment and must be given its own.
CORREDOR_ALLOW_DEVELOPMENT_KEYS = env_bool("CORREDOR_ALLOW_DEVELOPMENT_KEYS", False)

# The audit chain is keyed (HMAC-SHA256) with a key kept outside the database, so that whoever can write
# the database cannot re-hash the chain after removing or changing a line. Keep it apart from the database
# backups and from SECRET_KEY; `corredor check --deploy` warns while it is the development one.
DEVELOPMENT_AUDIT_KEY = "dev-only-audit-key-set-CORREDOR_AUDIT_KEY-in-deployment"
CORREDOR_AUDIT_KEY = env_str("CORREDOR_AUDIT_KEY", DEVELOPMENT_AUDIT_KEY)
ALLOWED_HOSTS = [h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The deploying country (ICAO code) and the id of this installation's device, written on every record
# a border post creates so that records from offline posts merge without collisions.
CORREDOR_COUNTRY = env_str("CORREDOR_COUNTRY", "CRI")
# The public datasets that `corredor demo` imports for the international context (UN DESA, UNHCR, IOM).
CORREDOR_SHARED_DATA = env_str("CORREDOR_SHARED_DATA", str(REPO_DIR.parent / "shared" / "data"))
CORREDOR_DEVICE_ID = env_str("CORREDOR_DEVICE_ID", "central")

# What this installation is: `central` (headquarters, and what `make run` serves), `post` (a border post that
# records offline and syncs with central: see the sync app) or `hub` (the public information hub for
# migrants, alone, with its own database: none of the apps that hold personal data is installed).
CORREDOR_MODES = ("central", "post", "hub")
CORREDOR_MODE = env_str("CORREDOR_MODE", "central").strip().lower()
if CORREDOR_MODE not in CORREDOR_MODES:
    raise SystemExit(f"CORREDOR_MODE={CORREDOR_MODE!r} is not one of: {', '.join(CORREDOR_MODES)}")

# The apps that hold or read personal data of travellers, migrants and displaced people.
PERSONAL_DATA_APPS = [
    "corredor.border",
    "corredor.screening",
    "corredor.manifests",
    "corredor.statistics",
    "corredor.sync",
    "corredor.protection",
    "corredor.displacement",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "corredor.core",
    *([] if CORREDOR_MODE == "hub" else PERSONAL_DATA_APPS),
    "corredor.infohub",
    # `corredor demo`: above every app, it seeds each installed app in order (not in the hub: its content
    # comes from central's bundle).
    *([] if CORREDOR_MODE == "hub" else ["corredor.demo"]),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "corredor.core.security.IdleTimeoutMiddleware",
    "corredor.core.security.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "corredor.core.security.NoStoreMiddleware",
    "corredor.core.middleware.AuditContextMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Axes first: a locked-out account or address is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "corredor.urls"
WSGI_APPLICATION = "corredor.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "corredor.core.context_processors.corredor",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'corredor.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the desk read while a sync or import writes; IMMEDIATE transactions take the write lock
    # up front so two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": env_str("SQLITE_TEST_NAME", "")} if env_str("SQLITE_TEST_NAME", "") else {}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "es")
LANGUAGES = [("es", _("Spanish")), ("en", _("English")), ("fr", _("French")), ("ht", _("Haitian Creole"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django knows no Haitian Creole; tell it the language's names so the switch can list it.
LANG_INFO.setdefault(
    "ht", {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"}
)
TIME_ZONE = env_str("TIME_ZONE", "America/Costa_Rica")
USE_I18N = True
# Formats Django does not ship (Haitian Creole); Django's own for every other language.
FORMAT_MODULE_PATH = ["corredor.l10n.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the app itself (a border post runs one process, no web server).
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
# A desk left open is logged out after this many minutes without a request (0: never).
CORREDOR_SESSION_IDLE_MINUTES = env_int("CORREDOR_SESSION_IDLE_MINUTES", 30)

# Transport security. A deployment (DEBUG off, its own SECRET_KEY) assumes TLS in front of it (see
# docs/deployment.md): cookies only over HTTPS, HTTP redirected, HSTS. A process on the development key
# (`make run`, the tests) serves plain HTTP on loopback; a border post's laptop serving itself on loopback
# with its own key sets CORREDOR_HTTPS=0.
CORREDOR_HTTPS = env_bool("CORREDOR_HTTPS", not DEBUG and SECRET_KEY != DEVELOPMENT_SECRET_KEY)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", CORREDOR_HTTPS)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", CORREDOR_HTTPS)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", CORREDOR_HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if CORREDOR_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Submitting a domain to the browsers' HSTS preload list binds every subdomain for years: the domain's
# owner decides (SECURE_HSTS_PRELOAD=1), the check does not nag about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a proxy that ends TLS: how many proxies stand in front (their X-Forwarded-For entries are
# trusted, the client is the one before them) and the header that says the original request was HTTPS.
CORREDOR_TRUSTED_PROXY_COUNT = env_int("CORREDOR_TRUSTED_PROXY_COUNT", 0)
CORREDOR_CLIENT_IP_HEADER = env_str("CORREDOR_CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
if CORREDOR_TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: scripts and styles only from the application's own static files; no inline
# script, no inline event handler, nothing from elsewhere. The few <style> blocks carry the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): an account, and separately an address, is locked after this many failed
# logins; each further failure while locked restarts the cool-off, so guessing on gets nowhere.
AXES_FAILURE_LIMIT = env_int("CORREDOR_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CORREDOR_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "corredor.core.accounts.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log already
# The address a lockout is counted against: behind CORREDOR_TRUSTED_PROXY_COUNT proxies, the one the
# outermost trusted proxy saw (read from the right of CORREDOR_CLIENT_IP_HEADER, so that a client cannot
# choose it by sending the header itself).
AXES_CLIENT_IP_CALLABLE = "corredor.core.security.axes_client_ip"

# Two-factor authentication (django-otp): these roles cannot reach anything but enrolment and the one-time
# code page until a device is verified in their session; others may enrol. CORREDOR_REQUIRE_2FA=0 turns
# the requirement off (a laptop demo), never the enrolment.
CORREDOR_REQUIRE_2FA = env_bool("CORREDOR_REQUIRE_2FA", True)
CORREDOR_2FA_ROLES = ("administrator", "supervisor", "watchlist_manager", "auditor")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Corredor")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Stay arithmetic: how many days ahead the desk looks when it warns that a document expires during the stay.
CORREDOR_EXPIRY_WARNING_DAYS = env_int("CORREDOR_EXPIRY_WARNING_DAYS", 180)
# How far in the past an officer may date a crossing (posts that record late); older needs a supervisor.
CORREDOR_LATE_RECORD_HOURS = env_int("CORREDOR_LATE_RECORD_HOURS", 72)

# Argon2id for passwords (older hashes are upgraded at the next login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("CORREDOR_FAST_PASSWORDS", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Retention, in days, per record type (see `corredor purge`). The defaults follow the EU Entry/Exit
# System: a traveller's file is kept three years after the last crossing, five when that was an entry
# without an exit; a file without any crossing, three years. 0 keeps that type for ever. The audit log is
# kept longer than all of them: `corredor purge` never removes it.
CORREDOR_RETENTION_DAYS = {
    "crossing": env_int("CORREDOR_RETENTION_CROSSING_DAYS", 3 * 365),
    "entry_without_exit": env_int("CORREDOR_RETENTION_ENTRY_WITHOUT_EXIT_DAYS", 5 * 365),
    "traveller": env_int("CORREDOR_RETENTION_TRAVELLER_DAYS", 3 * 365),
}

# Information hub (the infohub app). Central signs the content bundle it publishes for the public hub, and the
# hub checks it, with this key (HMAC-SHA256; the same value on both, kept apart from SECRET_KEY). A
# deployment (its own SECRET_KEY) refuses to sign or load with the development key. CORREDOR_HUB_URL is
# where central's staff pages link to the public site (`make run` serves the hub on port 8001).
DEVELOPMENT_HUB_BUNDLE_KEY = "dev-only-hub-bundle-key-set-CORREDOR_HUB_BUNDLE_KEY-in-deployment"
CORREDOR_HUB_BUNDLE_KEY = env_str("CORREDOR_HUB_BUNDLE_KEY", DEVELOPMENT_HUB_BUNDLE_KEY)
CORREDOR_HUB_BUNDLE_MAX_BYTES = env_int("CORREDOR_HUB_BUNDLE_MAX_BYTES", 20 * 1024 * 1024)
# Emergencies (the displacement app): registered households and their members are deleted this many days
# after their event ended (`corredor purge`); 0, the default, keeps them until the authority sets its period
# (an event with no end date keeps them too). Aggregates (assessments, flow counts, DTM's figures) hold no
# one's data and are never purged.
CORREDOR_RETENTION_DAYS["displacement_household"] = env_int(
    "CORREDOR_RETENTION_DISPLACEMENT_HOUSEHOLD_DAYS", 0
)
# Protection (the protection app): a closed protection case is kept this many days after its closure, then
# purged by `corredor purge` with its events, referrals and return (0 keeps closed cases for ever).
CORREDOR_RETENTION_DAYS["protection_case"] = env_int("CORREDOR_RETENTION_PROTECTION_CASE_DAYS", 10 * 365)
# Sync (offline border posts <-> central; see docs/sync.md). A post's device id is the one central gave it
# at enrolment (`corredor sync enrol` writes it to DATA_DIR/sync-device-id) unless CORREDOR_DEVICE_ID is set.
_SYNC_DEVICE_FILE = DATA_DIR / "sync-device-id"
if "CORREDOR_DEVICE_ID" not in os.environ and _SYNC_DEVICE_FILE.exists():
    CORREDOR_DEVICE_ID = _SYNC_DEVICE_FILE.read_text().strip() or CORREDOR_DEVICE_ID
CORREDOR_SYNC_BATCH = env_int("CORREDOR_SYNC_BATCH", 1000)  # records per push
CORREDOR_SYNC_FEED_PAGE = env_int("CORREDOR_SYNC_FEED_PAGE", 5000)  # feed entries per pull
CORREDOR_SYNC_TIMEOUT = env_int("CORREDOR_SYNC_TIMEOUT", 60)  # seconds a request to central may take
CORREDOR_SYNC_INTERVAL = env_int("CORREDOR_SYNC_INTERVAL", 60)  # seconds between syncs (`sync run`)
CORREDOR_SYNC_MAX_BACKOFF = env_int("CORREDOR_SYNC_MAX_BACKOFF", 900)  # longest wait after failures
CORREDOR_SYNC_PUBLISH_SECONDS = env_int("CORREDOR_SYNC_PUBLISH_SECONDS", 30)  # feed publication at most every
CORREDOR_SYNC_SILENT_HOURS = env_int("CORREDOR_SYNC_SILENT_HOURS", 12)  # a post silent longer is flagged
# Seconds the desk at a post waits for central's national history before it shows the local one.
CORREDOR_SYNC_HISTORY_TIMEOUT = float(env_str("CORREDOR_SYNC_HISTORY_TIMEOUT", "1.5") or 1.5)
# Fault tests only: central holds each ingest open this many seconds before committing (to be killed in it).
CORREDOR_SYNC_FAULT_DELAY = float(env_str("CORREDOR_SYNC_FAULT_DELAY", "0") or 0)
