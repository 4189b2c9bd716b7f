"""Readiness: can this server do its work right now? (`/readyz`)

Each check touches one service the site needs, the cheapest way that proves
it works: a trivial query, a set and get in each cache, a tiny file saved and
deleted in the media storage, the task queue's table read. The answer names
the checks and whether each passed, never why one failed: exception text can
hold host names and user names, so it goes to the log, not to the client.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger("ops.health")

# SQLite's messages for a database that is there but cannot be used now, as
# opposed to a query that is wrong ("no such table", a syntax error).
SQLITE_UNAVAILABLE = (
    "database is locked",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an exception means the database cannot be reached or used at
    the moment (so the request may succeed later), not that the code is wrong."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(SQLITE_UNAVAILABLE)
    return True


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def check_cache(alias: str) -> Callable[[], None]:
    def check() -> None:
        cache = caches[alias]
        key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
        # Redis's socket timeouts (settings.py) keep this short when it is
        # down; the default alias ignores errors, so only the read-back tells.
        cache.set(key, value, timeout=10)
        try:
            if cache.get(key) != value:
                raise RuntimeError(f"cache {alias!r} did not return what was set")
        finally:
            cache.delete(key)

    return check


def check_media() -> None:
    name = default_storage.save(
        f"readyz/{secrets.token_hex(8)}.txt", ContentFile(b"ok\n")
    )
    default_storage.delete(name)


def check_tasks() -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.only("pk").exists()


def checks() -> dict[str, Callable[[], None]]:
    found = {"database": check_database}
    for alias in dict.fromkeys(["default", settings.PAGE_CACHE_ALIAS]):
        found[f"cache:{alias}"] = check_cache(alias)
    found["media"] = check_media
    if any(
        config["BACKEND"].startswith("django_tasks_db.")
        for config in settings.TASKS.values()
    ):
        found["tasks"] = check_tasks
    return found


def readiness() -> tuple[bool, dict]:
    """Run every check: whether all passed, and a summary safe to publish."""
    results = {}
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception:
            logger.warning("Readiness check %s failed", name, exc_info=True)
            ok = False
        else:
            ok = True
        results[name] = {
            "ok": ok,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    ready = all(result["ok"] for result in results.values())
    failed = [name for name, result in results.items() if not result["ok"]]
    summary = {"status": "ok" if ready else "unavailable", "checks": results}
    if failed:
        summary["failed"] = failed
    return ready, summary
