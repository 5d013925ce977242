"""Kabinet settings. Configuration comes from the environment only.

DATABASE_URL   sqlite:///var/kabinet.sqlite3 by default; postgres://... in production
SECRET_KEY     required unless DEBUG=1 (kabinet.cli runs the few commands that sign nothing on
               kabinet.settings_nosecret instead)
DEBUG          0/1
ALLOWED_HOSTS  comma-separated
EMAIL_URL      smtp://user:pass@host:587/?tls=True, console:// (default in DEBUG), ...
DEFAULT_FROM_EMAIL
TASKS_BACKEND  "database" (default) | "rq" | "immediate"
REDIS_URL      redis://127.0.0.1:6379/0 (for the rq backend)
MAX_UPLOAD_MB  size limit of one attachment (default 20)
KABINET_LOG_FORMAT  json (one object per line; default when DEBUG=0) | text (default in DEBUG)
LOG_LEVEL      INFO by default
KABINET_ENCRYPTION_KEY  Fernet key(s), comma-separated, for connection tokens at rest (default:
               derived from SECRET_KEY with HKDF; see kabinet/health/crypto.py)
KABINET_GOOGLE_ADS_DEVELOPER_TOKEN  the agency's Google Ads API developer token
KABINET_GOOGLE_OAUTH_CLIENT_ID / KABINET_GOOGLE_OAUTH_CLIENT_SECRET  the OAuth client whose refresh
               tokens the Google connectors exchange for access tokens (without: tokens are used as
               access tokens as they are)
CACHE_URL      locmem:// (default, one cache per process) or redis://host:6379/1: shared by every
               web process, so that the API's rate limits hold across processes
API_RATE_TOKEN requests one API token (or one signed-in user) may make, default 600/min
API_RATE_IP    requests one address may make to the API, default 1200/min
API_RATE_BAD_TOKEN  wrong tokens one address may send before 429, default 30/min
STAGED_UPLOAD_HOURS  how long a file uploaded with a refused form is kept (default 24)
STORAGE_QUOTA_USER_MB / STORAGE_QUOTA_AGENCY_MB  storage per person / per agency (1024 / 20480)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("KABINET_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

_INSECURE_KEYS = {"", "change-me", "secret", "django-insecure"}
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY in _INSECURE_KEYS or SECRET_KEY.startswith("django-insecure"):
    if DEBUG:
        SECRET_KEY = "django-insecure-debug-only-key-kabinet-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set a long random SECRET_KEY in the environment "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=1 for local use."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "kabinet.core",
    "kabinet.jobs",
    "kabinet.clients",
    "kabinet.timeline",
    "kabinet.work",
    "kabinet.questions",
    "kabinet.promises",
    "kabinet.planning",  # after work and promises: its demo and signals build on theirs
    "kabinet.health",  # after timeline and work: KPIs are annotated with the chronology
    "kabinet.api",
    "ninja",  # the API docs page loads swagger-ui from Kabinet's own static files, not a CDN
    "kabinet.core.apps.KabinetAdminConfig",  # django.contrib.admin with the tenant-scoped site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",  # sign-in attempts, lock-outs by account and by address (see AXES_* below)
]

MIDDLEWARE = [
    "kabinet.core.logs.RequestLogMiddleware",  # first: the request id and one log line per request
    "kabinet.core.errors.DatabaseAwayMiddleware",  # a 503 while the database is away
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kabinet.core.middleware.UserLanguageMiddleware",
    "kabinet.core.middleware.ViewerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kabinet.core.errors.ErrorMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out sign-in with the lock-out page
]

ROOT_URLCONF = "kabinet.urls"
WSGI_APPLICATION = "kabinet.wsgi.application"
ASGI_APPLICATION = "kabinet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kabinet.core.context_processors.kabinet",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'kabinet.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # A database that does not answer fails the request in seconds (a 503), not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, scheduler) share one SQLite file: wait for locks, WAL.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
# Passwords are stored with Argon2 (argon2-cffi); older hashes still verify and are upgraded on
# the next sign-in. The test settings swap in a fast hasher.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Brute force: after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address,
# sign-in is refused for AXES_COOLOFF_TIME (or until the password is reset by e-mail).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's e-mail field (USERNAME_FIELD is email)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kabinet.core.signin.locked_out_response"  # the page with the way back
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)  # behind a proxy, set REMOTE_ADDR there
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # attempts of every agency: the head reads sign-ins in the audit trail
# Password-reset e-mails: at most this many per account per hour; the page looks the same either way.
PASSWORD_RESET_EMAILS_PER_HOUR = int(os.environ.get("PASSWORD_RESET_EMAILS_PER_HOUR", "3"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # staff: their projects; a client: her project's home
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through a scoped view
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible storage through django-storages, which is not a Kabinet dependency:
    # install it next to Kabinet (pip install "django-storages[s3]") when you set the bucket.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "20"))

# KPI source connections (kabinet/health/connectors).
KABINET_ENCRYPTION_KEY = os.environ.get("KABINET_ENCRYPTION_KEY", "")
KABINET_GOOGLE_ADS_DEVELOPER_TOKEN = os.environ.get("KABINET_GOOGLE_ADS_DEVELOPER_TOKEN", "")
KABINET_GOOGLE_ADS_API_VERSION = os.environ.get("KABINET_GOOGLE_ADS_API_VERSION", "v26")
KABINET_GOOGLE_OAUTH_CLIENT_ID = os.environ.get("KABINET_GOOGLE_OAUTH_CLIENT_ID", "")
KABINET_GOOGLE_OAUTH_CLIENT_SECRET = os.environ.get("KABINET_GOOGLE_OAUTH_CLIENT_SECRET", "")
# Files uploaded with a form that was refused are kept this long for the next try, then deleted.
STAGED_UPLOAD_HOURS = int(os.environ.get("STAGED_UPLOAD_HOURS", "24"))
# Storage quotas: attached and staged files of one person, and of the whole agency.
STORAGE_QUOTA_USER_MB = int(os.environ.get("STORAGE_QUOTA_USER_MB", "1024"))
STORAGE_QUOTA_AGENCY_MB = int(os.environ.get("STORAGE_QUOTA_AGENCY_MB", str(20 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ALLOWED_UPLOAD_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "csv",
    "txt",
    "md",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "svg",
    "zip",
]

_email = dj_email_url.parse(
    os.environ.get("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 20
# An e-mail still "sending" after this long is taken for abandoned (its sender died) and sent
# again under the same Message-ID (kabinet.core.services._deliver). Several EMAIL_TIMEOUTs.
EMAIL_SENDING_LEASE_SECONDS = float(os.environ.get("EMAIL_SENDING_LEASE_SECONDS", "300"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kabinet <kabinet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
_tasks_backend = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }[_tasks_backend]
}
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
if _tasks_backend == "rq":
    INSTALLED_APPS.append("django_rq")

# The cache: rate limits of the API (and nothing that must survive a restart).
_cache_url = os.environ.get("CACHE_URL", "locmem://")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The API (kabinet.api): rate limits per token (or signed-in user), per address, and for wrong
# tokens per address; "N/s", "N/min", "N/hour" or "N/day". Over the limit: 429 with Retry-After.
API_RATE_TOKEN = os.environ.get("API_RATE_TOKEN", "600/min")
API_RATE_IP = os.environ.get("API_RATE_IP", "1200/min")
API_RATE_BAD_TOKEN = os.environ.get("API_RATE_BAD_TOKEN", "30/min")
API_PAGE_SIZE = 50  # items per page of a list unless ?limit= asks for fewer or more
API_MAX_PAGE_SIZE = 200  # the most one page holds, whatever ?limit= asks
# A token's last-used time is written at most this often (not one write per request).
API_TOKEN_TOUCH_SECONDS = 60

# Production security; `kabinet check --deploy` passes with DEBUG=0.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only Kabinet's own scripts, styles, images and fonts. No
# inline script or style, no eval (htmx runs with allowEval off, see base.html), no remote images
# (Markdown turns them into links, see core/markdown.py), no framing. Violations are reported to
# the browser console, which the CSP browser test reads on every page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Logs (kabinet/core/logs.py): one JSON object per line with the request id, agency, user and
# job on each (KABINET_LOG_FORMAT=json, the default with DEBUG=0), or readable lines (=text,
# the default with DEBUG=1). LOG_LEVEL: INFO by default.
KABINET_LOG_FORMAT = os.environ.get("KABINET_LOG_FORMAT", "text" if DEBUG else "json").lower()
if KABINET_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        f"KABINET_LOG_FORMAT must be 'json' or 'text', not {KABINET_LOG_FORMAT!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "kabinet.core.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "kabinet.core.logs.JsonLineFormatter"},
        "text": {"()": "kabinet.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": KABINET_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The one line per request comes from kabinet.request (4xx as WARNING, 5xx as ERROR);
        # Django's own request logger is kept for errors, which carry the traceback.
        "django.request": {"level": "ERROR"},
    },
}

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
