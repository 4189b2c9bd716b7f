"""Settings for the test suite: the real settings with test-only overrides."""

import os

# The suite ignores a developer's .env (it is the demo site's) and brings its
# own key; DATABASE_URL and CACHE_URL still come from the environment.
os.environ["DJANGO_ENV_FILE"] = ""
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-" + "x" * 50)

from filmsite.settings import *  # noqa: E402, F403

# Tests talk plain HTTP to the test client.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# Templates are rendered without a collectstatic run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Nothing is collected for tests; WhiteNoise finds the files where they are.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# On SQLite the test database is a file, not memory: the test that runs a real
# `db_worker` needs a second process to see it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "test-artifacts" / "test-db.sqlite3")  # noqa: F405
    }

# Tasks run as they are enqueued (after the commit that enqueues them); one test
# starts a real `db_worker` against the database backend instead.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# The page cache is on in the suite, so every test that changes content and
# reads a page again shows the change reaching readers. Without CACHE_URL it
# lives in memory; tests of sharing between workers use their own stores.
if not os.environ.get("CACHE_URL") and not os.environ.get("PAGE_CACHE_URL"):
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "KEY_PREFIX": "pages",
    }
    CACHES.pop("page-generation", None)  # noqa: F405
    PAGE_CACHE_GENERATION_ALIAS = "pages"

# Admin tests log in with force_login and no second factor; the tests of
# two-factor login turn the requirement on where they need it.
STAFF_2FA_REQUIRED = False
