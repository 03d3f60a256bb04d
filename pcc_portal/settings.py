"""Settings for the portal, read from the environment.

Laptop defaults are safe: SQLite in the repository and DEBUG off unless asked for. Production
must set DJANGO_SECRET_KEY (the portal refuses to start without it when DEBUG is off) and
DJANGO_ALLOWED_HOSTS; DATABASE_URL switches to PostgreSQL. See .env.example and the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int | None) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number above 0, not {value!r}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 on a development machine."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "django-insecure-local-development-only-not-for-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The portal's own apps, lowest layer first (ARCHITECTURE.md). Each declares its permissions,
# and what each role is granted, in its `permissions` module.
PORTAL_APPS = ["plan", "scrutiny", "funding", "reports", "decisions"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The database queue of background work, and `manage.py db_worker` that works through it.
    "django_tasks_db",
    "pcc_portal",
    *PORTAL_APPS,
    # Above every app: it finds what they register (pcc_portal/searchable.py), and knows none.
    "search",
    # Above search: alerts are what becomes findable, for each subscriber.
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Published pages and PDFs for readers not signed in, straight from their stored files.
    "pcc_portal.published.PublishedFilesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pcc_portal.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pcc_portal.middleware.RefuseNullCharactersMiddleware",
    "pcc_portal.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pcc_portal.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pcc_portal.urls"
WSGI_APPLICATION = "pcc_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pcc_portal.context_processors.portal",
            ],
        },
    },
]

# Connections are kept for a minute (checked before reuse), not opened for every request:
# on PostgreSQL a new connection per request halves the requests served.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real embedded database for many people at once. Write-ahead logging lets
    # readers and one writer work side by side; a writer waits up to 20 s for the lock instead
    # of failing with "database is locked"; and a transaction takes the write lock when it
    # begins, because one that read first and then wants to write cannot wait for it.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What every page shows and rarely changes (the office profile) is kept in a cache, dropped
# whenever it is saved. Files in one folder, so that every gunicorn worker and any task worker
# on the machine share one cache and a change reaches them all; nothing else to install.
CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", "").strip() or BASE_DIR / "cache")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_DIR),
    }
}

# Uploads. The largest file any form accepts (a scrutiny paper, 20 MB): the upload handler
# drops anything bigger while the request is read, so it never reaches memory or disk.
PORTAL_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "pcc_portal.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Files up to 2.5 MB are held in memory while a form is checked, larger ones in a temporary
# file; the form fields other than files may take 2.5 MB at most, and a form at most 5 files.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_NUMBER_FILES = 5

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A password reset link works once, for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Sessions end after DJANGO_SESSION_IDLE_MINUTES without a request, and DJANGO_SESSION_MAX_HOURS
# after signing in whatever happens (pcc_portal.middleware.SessionTimeoutMiddleware says why).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("DJANGO_SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("DJANGO_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

# Two-factor sign-in (django-otp): an authenticator app (TOTP) with single-use recovery codes,
# required of staff, approvers and superusers (pcc_portal.twofactor). The demo accounts that
# `make run` creates sign in with their password alone, but only ever while DEBUG is on.
TWO_FACTOR_EXEMPT_USERNAMES = ["staff", "approver", "panel", "admin"] if DEBUG else []


def _totp_issuer(device) -> str:
    """The name authenticator apps show beside the code: the portal's, from the office profile."""
    # Imported when called: settings load before the apps, and twofactor needs their models.
    from pcc_portal.twofactor import totp_issuer

    return totp_issuer(device)


OTP_TOTP_ISSUER = _totp_issuer

# Email: printed to the console in development, sent over SMTP in production. A mail server
# that does not answer must not hold a page (a password reset) for long: a 10-second timeout.
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                # Unset: 25, or 587 with TLS.
                "port": env_int("DJANGO_EMAIL_PORT", None),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=False),
                "timeout": 10,
            },
        }
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (renders, packs, published files, emails, the search index) runs through
# django.tasks (pcc_portal/background.py). "database" (the default) queues it in the database
# for `manage.py db_worker`, which `make run` starts beside the web server; "immediate" runs
# each task at once in whoever enqueued it, once its transaction has committed.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}

# The portal's own address, for links in emails (which have no request to take it from).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sign-in throttling: five failures for the same user name from the same address locks that
# pair out for a while; a success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pcc_portal.views.locked_out"
AXES_VERBOSE = False
# Behind a reverse proxy, REMOTE_ADDR is the proxy: say how many proxies to trust.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Uploads and published files: on local disk under MEDIA_ROOT, or in an S3-compatible object
# store when a bucket is named. Never public by URL either way: the portal serves every file
# itself and decides who may see it, so objects are private and any URL to one is signed.
STORAGE_BUCKET = os.environ.get("DJANGO_STORAGE_BUCKET", "").strip()


def object_storage(bucket: str) -> dict:
    """The S3 storage of `bucket`; credentials come from the standard AWS variables
    (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the machine's role."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("DJANGO_STORAGE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_STORAGE_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or None,
            "location": os.environ.get("DJANGO_STORAGE_PREFIX", "").strip("/"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": (
        object_storage(STORAGE_BUCKET)
        if STORAGE_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "pcc_portal.storage.PortalStaticFilesStorage"
        )
    },
}

# 360Giving open data: the grant identifier prefix 360Giving gives the publisher, and the
# office's own organisation identifier (org-id.guide) where it has one.
THREESIXTYGIVING_PREFIX = os.environ.get("PORTAL_360GIVING_PREFIX", "360G-pcc-portal")
THREESIXTYGIVING_FUNDER_ID = os.environ.get("PORTAL_360GIVING_FUNDER_ID", "")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security. Everything below is on whenever DEBUG is off, so that
# `manage.py check --deploy --fail-level WARNING` passes on a production configuration.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Published pages, PDFs and packs (pcc_portal.published): how long a cache may keep one before
# asking again, and, behind nginx, the internal location that serves the media folder
# (X-Accel-Redirect), for example "/_published/"; empty to send the files from here.
PUBLISHED_MAX_AGE = int(os.environ.get("DJANGO_PUBLISHED_MAX_AGE", "3600"))
PUBLISHED_ACCEL_REDIRECT = os.environ.get("DJANGO_PUBLISHED_ACCEL_REDIRECT", "")
# How long each web server process answers a published address from what it last read of the
# list (the process changing the list forgets at once); 0 reads the list on every request.
PUBLISHED_LIST_SECONDS = float(os.environ.get("DJANGO_PUBLISHED_LIST_SECONDS", "1"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    # Only set this when the proxy in front of the portal sets X-Forwarded-Proto itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content Security Policy: no inline script or style, nothing from other origins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint reports each rendering step at INFO; only its warnings matter here.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
