"""Settings for AIII Exchange, read from the environment.

With no environment at all this is the embedded default: SQLite under var/, Celery tasks run
in-process, each email written as a file under var/mail/. Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY and ALLOWED_HOSTS (see README.md for every variable).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AIII_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) refuses to start without it: "
            "set SECRET_KEY to a long random string, or DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-aiii-exchange"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.forms",
    "guardian",
    "csp",
    "aiii",
    "members",
    "meetings",
    "topics",
    "annual_forum",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "aiii.middleware.SecurityHeadersMiddleware",
    "aiii.sessions.SessionMiddleware",
    "aiii.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "aiii.middleware.AuthenticationMiddleware",
    "aiii.middleware.PrivatePagesMiddleware",
    "aiii.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.UserPreferencesMiddleware",
    "aiii.middleware.AccessMiddleware",
]

FORM_RENDERER = "aiii.forms_renderer.PortalFormRenderer"

ROOT_URLCONF = "aiii.urls"
WSGI_APPLICATION = "aiii.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "aiii.context_processors.portal",
            ],
            # {% url %} for views without arguments, worked out once (aiii/urls_fixed.py).
            "builtins": ["aiii.templatetags.fixed_url"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'aiii.sqlite3'}",
        conn_max_age=env_int("AIII_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that costs no round trip and prepared statements for
    # the few fixed statements every request sends (aiii/backends/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "aiii.backends.postgresql"
    # A database that cannot be reached, or a network that drops what is sent, fails a request
    # within seconds instead of holding it for the kernel's TCP timeouts (minutes). Values in
    # DATABASE_URL's query string win.
    for option, value in {
        "connect_timeout": 5,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,  # milliseconds
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(option, value)
AIII_DB_PREPARED_STATEMENTS = env_bool("AIII_DB_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every Redis client (cache, rate limits, broker publish, /healthz) gives up after this many
# seconds to connect or to get an answer: a frozen Redis must not hold a request for long.
AIII_REDIS_TIMEOUT = float(os.environ.get("AIII_REDIS_TIMEOUT", "1"))


def redis_caches(url, *, timeout=AIII_REDIS_TIMEOUT):
    """CACHES on Redis at `url`: Django's RedisCache, except that a Redis outage falls back to a
    local-memory cache (rate limits per process) instead of failing the request (aiii/cache.py)."""
    return {
        "default": {
            "BACKEND": "aiii.cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "aiii",
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "retry_after": 10,  # seconds before a failed Redis is tried again
            },
        }
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Page fragments (aiii/fragments.py) are cached only in a cache every web process shares: Redis.
# The local-memory cache is per process, so it may hold them only where one process serves every
# request (the test suite, the benchmark's single worker): AIII_FRAGMENT_CACHE=1 says so.
AIII_FRAGMENT_CACHE = env_bool("AIII_FRAGMENT_CACHE", bool(REDIS_URL))
# Whatever happens, a cached fragment is rendered again after this long (the bound on how long a
# change that could not reach Redis, during an outage, goes unseen).
AIII_FRAGMENT_SECONDS = env_int("AIII_FRAGMENT_SECONDS", 300)

# Celery: with REDIS_URL a worker does the work; without, tasks run in-process when enqueued.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task and the longest countdown used by retries (one hour). A task
    # taken by a worker that died is redelivered only after this; the outbox sweep does not wait
    # for it (AIII_OUTBOX_STALE_SECONDS).
    "visibility_timeout": 2 * 3600,
    # A publish from a web request waits at most this long for a frozen broker. The worker's
    # own BRPOP is read from its event loop and is not affected.
    "socket_connect_timeout": AIII_REDIS_TIMEOUT,
    "socket_timeout": AIII_REDIS_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = AIII_REDIS_TIMEOUT
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = "aiii"
# Every periodic task is listed in aiii/schedules.py; beat keeps its state file under var/.
from aiii.schedules import BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule")
)

# --- Authentication ----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, reading the user with their profile (one query).
    "aiii.auth_backends.ModelBackend",
    "aiii.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "members.forms.accounts.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# "Signed in as …" messages name the address people sign in with, not the internal username.
ACCOUNT_USER_DISPLAY = "aiii.permissions.user_display"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AIII Exchange] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed sign-ins: "key" is the address *and* the client IP (members.adapters), so guessing
    # from one place cannot lock the owner out elsewhere; login_failed_account is the ceiling
    # per address from everywhere, which takes five places each at the per-place hourly limit.
    "login_failed": "10/m/ip,5/5m/key,20/h/key",
    "login_failed_account": "100/h/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "AIII Exchange"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# "required": secretariat pages demand a second factor; "optional": demos may skip it.
AIII_SECRETARIAT_MFA = os.environ.get("AIII_SECRETARIAT_MFA", "required").strip().lower()
if AIII_SECRETARIAT_MFA not in {"required", "optional"}:
    raise ImproperlyConfigured("AIII_SECRETARIAT_MFA must be 'required' or 'optional'.")
# How long an operator's one-time code for enrolling a secretariat second factor stays valid
# (`manage.py secretariat_mfa_code`), and how long its session may then take to enrol.
AIII_MFA_ENROLMENT_CODE_MINUTES = env_int("AIII_MFA_ENROLMENT_CODE_MINUTES", 30)

# --- Sessions and HTTPS -----------------------------------------------------------------------
# Django's database sessions, logging a database outage once instead of per request, and not
# rewriting an unchanged session on every request (aiii/sessions.py).
SESSION_ENGINE = "aiii.sessions"
# Inactivity: the cookie lives this long after the last request (it is re-saved on each request,
# the database row at most every AIII_SESSION_REFRESH_SECONDS when nothing else changed).
SESSION_COOKIE_AGE = int(float(os.environ.get("AIII_SESSION_IDLE_HOURS", "8")) * 3600)
SESSION_SAVE_EVERY_REQUEST = True
AIII_SESSION_REFRESH_SECONDS = env_int("AIII_SESSION_REFRESH_SECONDS", 300)
# Absolute: a session older than this is ended whatever its activity.
AIII_SESSION_MAX_AGE = timedelta(days=float(os.environ.get("AIII_SESSION_MAX_DAYS", "14")))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "aiii.views.csrf_failure"

AIII_HTTPS = os.environ.get("AIII_HTTPS", "on").strip().lower() not in {"off", "0", "false", "no"}
HTTPS_ENFORCED = AIII_HTTPS and not DEBUG
# Links in emails (verification, password reset) use the scheme the portal really answers on.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS_ENFORCED else "http"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS_ENFORCED
if HTTPS_ENFORCED:
    SECURE_SSL_REDIRECT = env_bool("AIII_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies must be Secure, Path=/ and carry no Domain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if env_bool("AIII_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("AIII_TRUSTED_PROXY_COUNT", 1)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The languages whose translations are complete and may be served: all six, checked by
# tests/aiii/test_catalogues.py. A language taken out of this list (e.g. while a new batch of
# messages is being translated) is still offered in profiles, but its pages and emails stay in
# English, so a page never says lang="ar" over English text.
AIII_LANGUAGES_READY = env_list("AIII_LANGUAGES_READY", ",".join(code for code, _ in LANGUAGES))
# A visitor's choice from the language switcher (a member's is kept in their profile).
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at every start without it
STATICFILES_DIRS = [BASE_DIR / "static"]
# Manifest storage needs collectstatic; the embedded default and tests serve from the finders.
_manifest = env_bool("AIII_MANIFEST_STATIC", not DEBUG and bool(os.environ.get("DATABASE_URL")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not _manifest
MEDIA_ROOT = VAR_DIR / "media"
# Documents are stored here, never under a public URL; views check access before serving.
AIII_PRIVATE_STORAGE_DIR = Path(os.environ.get("AIII_PRIVATE_STORAGE_DIR", VAR_DIR / "private"))
# Meeting documents: the "private" storage (never a public URL; meetings' download view checks
# access). AIII_PRIVATE_STORAGE_BACKEND may name another storage class (e.g.
# "storages.backends.s3.S3Storage" from django-storages, configured by its own AWS_* variables).
STORAGES["private"] = {
    "BACKEND": os.environ.get(
        "AIII_PRIVATE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
    ),
    "OPTIONS": {}
    if os.environ.get("AIII_PRIVATE_STORAGE_BACKEND")
    else {"location": str(AIII_PRIVATE_STORAGE_DIR)},
}
AIII_DOCUMENT_MAX_BYTES = env_int("AIII_DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
# When set (e.g. "/protected/"), downloads are handed to the web server with X-Accel-Redirect to
# this prefix + the stored name, after the view has checked access.
AIII_DOCUMENT_X_ACCEL_PREFIX = os.environ.get("AIII_DOCUMENT_X_ACCEL_PREFIX", "")
# Days an RSVP link in an invitation stays valid (and never after the meeting has ended).
AIII_RSVP_LINK_DAYS = env_int("AIII_RSVP_LINK_DAYS", 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "AIII Exchange <no-reply@aiii.example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to the secretariat (shown in the footer and in emails that invite questions).
AIII_CONTACT_EMAIL = os.environ.get("AIII_CONTACT_EMAIL", "secretariat@aiii.example.org")
AIII_EMAIL_DIR = Path(os.environ.get("AIII_EMAIL_DIR", VAR_DIR / "mail"))
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _email = urlparse(EMAIL_URL)
    _email_query = parse_qs(_email.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and _email_query.get("tls", ["1"])[0] != "0"
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "aiii.mail_backends.DirectoryEmailBackend"
# Seconds each step of an SMTP conversation (connect, TLS, each command, the data) may take.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
AIII_OUTBOX_MAX_ATTEMPTS = env_int("AIII_OUTBOX_MAX_ATTEMPTS", 8)
# One attempt at sending an email (aiii.tasks.send_outbox_email) is ended by Celery after this
# many seconds, the worker process killed if need be: room for the six or so SMTP steps that
# EMAIL_TIMEOUT bounds one by one. The hard limit needs the prefork pool, Celery's default.
AIII_OUTBOX_SEND_TIME_LIMIT = 6 * EMAIL_TIMEOUT
# Rows queued (a task lost with a killed worker or a broker outage) or sending (the worker died
# mid-attempt) for longer than this are handed to a worker again by the sweep, which runs every
# minute (aiii/schedules.py): a crashed worker's email goes out within this plus one minute.
# A row in sending is taken back only when no attempt can still be running (the hard limit has
# ended it, with a margin for clock skew): the row's state then guards against a second send.
AIII_OUTBOX_STALE_AFTER = timedelta(
    seconds=env_int("AIII_OUTBOX_STALE_SECONDS", AIII_OUTBOX_SEND_TIME_LIMIT + 30)
)
if AIII_OUTBOX_STALE_AFTER.total_seconds() < AIII_OUTBOX_SEND_TIME_LIMIT + 10:
    raise ImproperlyConfigured(
        "AIII_OUTBOX_STALE_SECONDS must exceed an attempt's time limit (6 x EMAIL_TIMEOUT = "
        f"{AIII_OUTBOX_SEND_TIME_LIMIT} s) by at least 10 s, or the sweep could take back an "
        "email that is still being sent and send it twice."
    )
# Bodies of emails sent (or given up) longer ago than this are emptied by the daily purge, so the
# outbox does not keep a copy of every email (aiii.outbox.outbox_purge).
AIII_OUTBOX_RETENTION_DAYS = env_int("AIII_OUTBOX_RETENTION_DAYS", 7)

# --- Portal -------------------------------------------------------------------------------------
# Absolute address used in emails (links back to the portal).
_default_host = next((h for h in ALLOWED_HOSTS if h not in {"*", ""}), "127.0.0.1:8000")
AIII_SITE_URL = os.environ.get(
    "AIII_SITE_URL",
    # Development serves on runserver's address (make run); production on its first host name.
    "http://127.0.0.1:8000"
    if DEBUG
    else f"{'https' if HTTPS_ENFORCED else 'http'}://{_default_host.lstrip('.')}",
).rstrip("/")
AIII_PAGE_SIZE = env_int("AIII_PAGE_SIZE", 25)
# The portal's own rate limits (aiii/ratelimit.py): applications per IP, invitations per user.
AIII_RATE_LIMITS = {
    "apply": os.environ.get("AIII_RATE_LIMIT_APPLY", "10/h"),
    "invitation": os.environ.get("AIII_RATE_LIMIT_INVITATION", "30/h"),
    # the annual forum: delegate registrations per IP, public JSON API requests per IP
    "forum_register": os.environ.get("AIII_RATE_LIMIT_FORUM_REGISTER", "10/h"),
    "forum_api": os.environ.get("AIII_RATE_LIMIT_FORUM_API", "300/m"),
}
# The largest PDF a delegate may upload with an intervention or as a credential letter.
AIII_INTERVENTION_PDF_MAX_BYTES = env_int("AIII_INTERVENTION_PDF_MAX_BYTES", 10 * 1024 * 1024)
AIII_INVITATION_DAYS = env_int("AIII_INVITATION_DAYS", 14)
ADMINS = [("Secretariat", addr) for addr in env_list("AIII_ADMIN_EMAILS")]

AIII_LOG_LEVEL = os.environ.get("AIII_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "refusal_without_traceback": {"()": "aiii.log_filters.RefusalWithoutTraceback"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # As in Django's default configuration: server errors to ADMINS (AIII_ADMIN_EMAILS).
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": AIII_LOG_LEVEL},
    "loggers": {
        # Django's default configuration gives "django" a console handler of its own (with
        # DEBUG on), and its records reach the root's too: every line was printed twice.
        "django": {"handlers": ["mail_admins"], "level": AIII_LOG_LEVEL, "propagate": True},
        "django.request": {"filters": ["refusal_without_traceback"]},
        "django.db.backends": {"level": "WARNING"},
    },
}

# allauth pages that anonymous visitors need: signing in, resetting a password, verifying an email.
AIII_ALLAUTH_PUBLIC_URL_NAMES = frozenset(
    {
        "account_login",
        "account_logout",
        "account_signup",
        "account_inactive",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_login_code_confirm",
        "account_request_login_code",
        "account_confirm_login_code",
        "mfa_authenticate",
        "mfa_login_webauthn",
        "mfa_signup_webauthn",
        "mfa_trust",
    }
)

# The header navigation: (label, url name, roles that see it). Unresolvable names are skipped.
AIII_NAVIGATION = [
    (_("Home"), "landing", {"signed_in"}),
    (_("About"), "about", {"anonymous"}),
    (_("Apply"), "members:apply", {"anonymous"}),
    (_("Directory"), "members:directory", {"member", "secretariat"}),
    (_("Meetings"), "meetings:list", {"member", "secretariat", "geg"}),
    (_("Topics"), "topics:list", {"member", "secretariat"}),
    (_("Annual forum"), "forum:current", {"anonymous", "signed_in"}),
    (_("My delegation"), "forum:delegation", {"delegate", "delegate_pending"}),
    (_("My application"), "members:application_status", {"applicant"}),
    (_("Secretariat"), "secretariat:dashboard", {"secretariat"}),
]
