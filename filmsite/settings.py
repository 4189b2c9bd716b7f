"""Filmsite settings: every value comes from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from news.limits import MAX_BODY_LENGTH, MAX_CORRECTION_LENGTH

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# An optional .env file (the project folder's, written by `make run`, unless
# DJANGO_ENV_FILE names another or is empty); OS variables win over it.
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

# No default: a deployment without a key must fail at start-up, not run insecurely.
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
# Rotating the key: put the old one here and a new one above. Sessions, password
# reset links and other signed values made with the old key stay valid until
# the old key is dropped from the list.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The magazine's name, wherever the site names itself: pages, feeds, JSON-LD.
SITE_NAME = env.str("DJANGO_SITE_NAME", default="Filmsite")

INSTALLED_APPS = [
    # The admin, as core.sites.FilmsiteAdminSite: a second factor for staff.
    "core.apps.FilmsiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Revisions of articles, films and people with the rows edited with them.
    "reversion",
    "django_tasks_db",
    # Locks out a username from an address after repeated failed logins.
    "axes",
    # Two-factor login for staff: an authenticator app, and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "ops",
    "permalinks",
    "seo",
    "images",
    "catalog",
    "news",
    "search",
    "demo",
]

MIDDLEWARE = [
    # First: every request gets an id and one log line, page cache hits too.
    "ops.middleware.RequestLogMiddleware",
    "ops.middleware.HealthCheckMiddleware",
    "ops.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ops.middleware.HeadResponseMiddleware",
    "core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "permalinks.middleware.OldSlugRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into core.logins' page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "filmsite.urls"

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
                "core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "filmsite.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while a gunicorn worker writes; IMMEDIATE
        # transactions wait for the write lock instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A Redis outage slows pages by at most the timeouts; it never breaks them.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        }
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# The page cache (core.pagecache) stores public pages for anonymous readers in
# a cache every worker and server shares: the one CACHE_URL names (Redis in
# production), or files under var/page-cache when none is set, as `make run`
# does. Its own alias raises errors instead of ignoring them, so that a cache
# that is down is noticed and left alone for a few seconds (core.generation).
PAGE_CACHE_ENABLED = env.bool("DJANGO_PAGE_CACHE", default=True)
PAGE_CACHE_URL = env.str("PAGE_CACHE_URL", default="") or env.str(
    "CACHE_URL", default=f"filecache://{BASE_DIR / 'var' / 'page-cache'}"
)
PAGE_CACHE_ALIAS = PAGE_CACHE_GENERATION_ALIAS = "pages"
CACHES["pages"] = env.cache_url_config(PAGE_CACHE_URL)
CACHES["pages"]["KEY_PREFIX"] = "pages"
if CACHES["pages"]["BACKEND"] == "django_redis.cache.RedisCache":
    CACHES["pages"].setdefault("OPTIONS", {}).update(
        {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25}
    )
elif CACHES["pages"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["pages"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 20_000
    # The generation moves on every write: its few files get a folder of
    # their own, which the file cache does not list on every write.
    PAGE_CACHE_GENERATION_ALIAS = "page-generation"
    CACHES["page-generation"] = {
        **CACHES["pages"],
        "LOCATION": str(Path(CACHES["pages"]["LOCATION"]) / "generation"),
    }
# How long a page may stay stored without being asked for, and what a CDN in
# front may do: hold a page for s-maxage seconds and serve it stale while it
# revalidates. Browsers always revalidate (max-age=0) and get 304s.
PAGE_CACHE_SECONDS = env.int("DJANGO_PAGE_CACHE_SECONDS", default=24 * 3600)
PAGE_CACHE_SHARED_MAX_AGE = env.int("DJANGO_PAGE_CACHE_SHARED_MAX_AGE", default=60)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.int(
    "DJANGO_PAGE_CACHE_STALE_WHILE_REVALIDATE", default=60
)

# Background work (the renditions of uploaded pictures) runs on Django's tasks
# framework. django-tasks-db keeps the queue in the site's own database, so one
# machine needs no other service: `manage.py db_worker` runs the tasks.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# django-axes checks for a lockout before any password is hashed, so it comes
# first; the model backend then authenticates.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads can live in any S3-compatible object store (django-storages, installed
# from requirements-s3.txt); DJANGO_MEDIA_URL is then the bucket's or CDN's
# public address.
if env.str("DJANGO_MEDIA_STORAGE", default="filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DJANGO_S3_BUCKET"),
            "access_key": env.str("DJANGO_S3_ACCESS_KEY_ID"),
            "secret_key": env.str("DJANGO_S3_SECRET_ACCESS_KEY"),
            "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("DJANGO_S3_REGION", default=None),
            "custom_domain": env.str("DJANGO_S3_CUSTOM_DOMAIN", default=None),
            # Public, unsigned URLs: every file is an image meant for readers.
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {
                "CacheControl": "public, max-age=31536000, immutable"
            },
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755
# Uploaded images are refused above these sizes, before any pixel is decoded.
IMAGE_MAX_UPLOAD_BYTES = env.int("DJANGO_IMAGE_MAX_UPLOAD_MB", default=20) * 2**20
IMAGE_MAX_PIXELS = env.int("DJANGO_IMAGE_MAX_MEGAPIXELS", default=50) * 1_000_000
# Widths of the renditions written at upload (never wider than the original).
IMAGE_RENDITION_WIDTHS = env.list(
    "DJANGO_IMAGE_RENDITION_WIDTHS", cast=int, default=[320, 640, 1024, 1600, 2400]
)

# A film with 300 credits posts about 2,700 fields from the admin (nine per
# credit row plus the film's own). Django's default of 1,000 would answer a
# bare 400 and lose the editor's work, so the limit is sized for 1,000 credits.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int(
    "DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", default=10_000
)

# Article texts are capped in characters (news/limits.py); this limit is in
# bytes, and at Django's 2.5 MiB a Korean body over the cap got a bare 400 and
# was lost. Browsers send the article form urlencoded (it has no file input),
# where a character takes up to 12 bytes (an emoji, percent-encoded:
# %F0%9F%8E%AC); multipart posts count only their non-file fields, raw, at
# most 4 bytes a character. The limit holds twice the capped texts at 12 bytes
# plus a megabyte for the other fields and inlines, so a text even far over
# its cap comes back as a form error with the text kept; only an absurd post
# meets the limit, and gets the 413 page (ops.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 12 * (MAX_BODY_LENGTH + MAX_CORRECTION_LENGTH) + 2**20

# Security. The defaults are the production ones; `make run` relaxes the
# HTTPS-only ones in its .env because the demo is served over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a proxy, its headers say the scheme, the request id and the client's
# address (core.logins.client_ip_address): only a proxy that always
# overwrites X-Forwarded-Proto and X-Request-ID and appends to X-Forwarded-For.
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    # Browsers report violations here (ops.views.csp_report): report-to for
    # those that read Reporting-Endpoints, report-uri for the others.
    "report-uri": ["/csp-report/"],
    "report-to": ["csp"],
}
REPORTING_ENDPOINTS = {"csp": "/csp-report/"}
# A form refused by the CSRF check gets a page in the site's style.
CSRF_FAILURE_VIEW = "ops.views.csrf_failure"
# Browser features the site never uses, denied to it and to anything it
# might embed (ops.middleware.SecurityHeadersMiddleware). WebAuthn is left
# alone: staff sign-in may use security keys.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)

# Failed logins (django-axes): a username is locked out from one address after
# AXES_FAILURE_LIMIT failures in a row, for the cool-off; a success starts the
# count again. Attempts while locked out are refused without a password check
# and do not extend the lockout. Attempts are kept in the database.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(
    minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "core.logins.client_ip_address"
AXES_LOCKOUT_CALLABLE = "core.logins.lockout_response"

# Two-factor login (django-otp): with this on, staff need a code from an
# authenticator app (or a recovery code) before any admin page, and enrol on
# their first login. Off, only staff who enrolled are asked for one. On by
# default, as production should be; `make run` turns it off for the demo.
STAFF_2FA_REQUIRED = env.bool("DJANGO_STAFF_2FA_REQUIRED", default=True)
OTP_TOTP_ISSUER = SITE_NAME
# Superusers can remove a lost authenticator in the admin, never read its key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Pictures served from another host (a CDN, object storage) are allowed too.
if urlsplit(MEDIA_URL).scheme in ("http", "https"):
    SECURE_CSP["img-src"].append("{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)))

# Logs go to standard error: readable lines by default, one JSON object a
# line with DJANGO_LOG_FORMAT=json. Every line emitted while a request runs
# carries its id (ops.logging); ops.request logs one line per request.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be plain or json.")
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ops.logging.RequestIdFilter"},
        "disallowed_host_as_warning": {"()": "ops.logging.DisallowedHostAsWarning"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {"()": "ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Every login, failed login, lockout and second-factor check, one line
        # each with the username and the client's address (core.logins).
        "filmsite.logins": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
        # django-axes logs the same events with the username masked.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "filters": ["disallowed_host_as_warning"],
            "propagate": False,
        },
        "ops.request": {
            "handlers": ["console"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}

# Errors can also go to Sentry (or a compatible tracker): set SENTRY_DSN and
# install requirements-sentry.txt. Events carry the request id as a tag.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ops.sentry import init_sentry

    init_sentry(SENTRY_DSN)
