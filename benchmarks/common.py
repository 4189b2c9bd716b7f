"""What the benchmarks share: Django with the test settings, a throwaway database,
a free port and a progress bar."""

from __future__ import annotations

import os
import secrets
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Set up Django with the test settings: they ignore a developer's .env, bring
    a key of their own, turn the HTTPS redirect off and serve static files without
    a collectstatic run. DATABASE_URL and the other variables still apply."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "filmsite.test_settings"
    django.setup()


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh, migrated copy of the database DATABASE_URL names (SQLite when
    unset), dropped on exit: the data never touches the real database."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory() as work:
        if connection.vendor == "sqlite":
            # A file, as in production, rather than the test default's memory.
            connection.settings_dict["TEST"]["NAME"] = str(Path(work) / "db.sqlite3")
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            yield
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def local_production_settings(folder: Path, secret_prefix: str) -> dict[str, str]:
    """The environment of the production settings with everything in `folder`:
    no developer's .env, a throwaway key, DEBUG off and plain HTTP on this
    machine (for the page benchmark and the production smoke test)."""
    return {
        "DJANGO_SETTINGS_MODULE": "filmsite.settings",
        "DJANGO_ENV_FILE": "",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret_prefix + secrets.token_urlsafe(32),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "PAGE_CACHE_URL": f"filecache://{folder / 'page-cache'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SECURE_COOKIES": "false",
    }


def free_port() -> int:
    """A local TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Progress:
    """A bar on stderr, `done/total` for one step of the work; drawn only on a
    terminal, so that piped or logged output stays clean."""

    WIDTH = 30

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.shown = sys.stderr.isatty()
        self.started = time.monotonic()
        self.draw()

    def advance(self, count: int) -> None:
        before = self.done
        self.done = min(self.total, self.done + count)
        if self.total and self.done * 100 // self.total != before * 100 // self.total:
            self.draw()

    def draw(self) -> None:
        if not self.shown:
            return
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        sys.stderr.write(
            f"\r{self.label:<20} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
            f"{self.done:>9,}/{self.total:,} {time.monotonic() - self.started:6.1f}s"
        )
        sys.stderr.flush()

    def finish(self) -> None:
        self.done = self.total
        self.draw()
        if self.shown:
            sys.stderr.write("\n")
