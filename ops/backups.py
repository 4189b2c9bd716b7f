"""Backups of the database and the media, and restoring them.

A backup is a folder::

    manifest.json        what is in it, with a size and SHA-256 for every file
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    database.pgdump      PostgreSQL: `pg_dump --format=custom`
    media/…              every file of the default storage, under its name

**Ordering.** The database snapshot is taken first, the media copied after.
An upload writes its files before its row commits, and files are never
changed in place (a replaced picture gets new names), so every file a row of
the snapshot names already exists when the snapshot is taken and still has the
same bytes when it is copied. The other order would miss the files of pictures
uploaded while the media were being copied. Files that appear after the
snapshot are copied too (orphans in the restored site, which `media_orphans
--delete` removes); a file a snapshot row names that was deleted before it
could be copied (its picture deleted meanwhile) is recorded in the manifest as
missing and reported.

**Restoring** needs an empty database (no tables at all: before `migrate`;
for SQLite the file may also not exist yet) and an empty media storage,
because merging a backup into live data would mix two histories. Restore
checks every checksum before touching anything, restores the database, applies
any migrations newer than the backup, copies the media back and rebuilds the
search index from the restored catalog.

Everything in the database is included, whatever app it belongs to (revisions,
sessions, the admin log), since it is the database itself that is copied.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, Error, connections, transaction
from django.db.migrations.loader import MigrationLoader

from images import inventory
from search.indexing import rebuild

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1 << 20

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason in words."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    missing: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    manifest: dict
    files: int
    migrations_applied: list[str]
    search_entries: int


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(name: str, path: Path) -> dict:
    return {"name": name, "size": path.stat().st_size, "sha256": _sha256_of(path)}


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMP_FILES:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL, not {vendor} databases."
        )
    return vendor


@contextmanager
def _plain_errors(action: str) -> Iterator[None]:
    """Errors of the database, SQLite or the file system, as one sentence."""
    try:
        yield
    except (Error, sqlite3.Error, OSError) as error:
        raise BackupError(f"{action}: {error}".strip()) from error


# The database: SQLite


def _sqlite_path(alias: str) -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError(
            "The configured SQLite database is in memory: there is no file to "
            "back up or restore into."
        )
    return Path(name)


def _sqlite_facts(database: sqlite3.Connection) -> tuple[dict, set[str]]:
    with closing(database.cursor()) as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = _latest_migrations(cursor.fetchall())
        return migrations, inventory.referenced_names_sql(cursor)


def _dump_sqlite(alias: str, target: Path) -> tuple[dict, set[str]]:
    source_path = _sqlite_path(alias)
    timeout = connections[alias].settings_dict["OPTIONS"].get("timeout", 5)
    with (
        closing(sqlite3.connect(source_path, timeout=timeout)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        # One step (pages=-1) holds one read transaction: a consistent snapshot
        # that writers in WAL mode do not wait for.
        source.backup(copy)
        # A single self-contained file, with no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_facts(copy)


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with closing(sqlite3.connect(path)) as database:
        (tables,) = database.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return tables == 0


def _restore_sqlite(alias: str, dump: Path) -> None:
    target_path = _sqlite_path(alias)
    connections[alias].close()
    uri = f"{dump.resolve().as_uri()}?mode=ro&immutable=1"
    with (
        closing(sqlite3.connect(uri, uri=True)) as source,
        closing(sqlite3.connect(target_path)) as target,
    ):
        source.backup(target)


# The database: PostgreSQL


def _pg_environment(alias: str) -> dict[str, str]:
    """libpq's PG* variables for the configured database: the password and
    the other connection settings never appear on a command line."""
    connection = connections[alias]
    settings_dict = connection.settings_dict
    # Django's own dbshell mapping: PGPASSWORD, PGSSLMODE, PGSERVICE, …
    _args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    env = dict(env or {})
    options = settings_dict.get("OPTIONS", {})
    for variable, value in [
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER") or options.get("user")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGCONNECT_TIMEOUT", options.get("connect_timeout")),
    ]:
        if value:
            env[variable] = str(value)
    return {**os.environ, **env}


def _run(program: str, arguments: list[str], alias: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} was not found: install the PostgreSQL client programs "
            "of the server's version (Debian: postgresql-client)."
        )
    result = subprocess.run(
        [program, "--no-password", *arguments],
        env=_pg_environment(alias),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{program} failed: {message}")


def _dump_postgresql(alias: str, target: Path) -> tuple[dict, set[str]]:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("A backup cannot be taken inside a transaction.")
    connection.ensure_connection()
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # pg_dump reads the snapshot this transaction exports, and the facts
        # of the manifest are read in it too: all from the same instant.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            alias,
        )
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = _latest_migrations(cursor.fetchall())
        return migrations, inventory.referenced_names_sql(cursor)


def _restore_postgresql(alias: str, dump: Path) -> None:
    connections[alias].close()
    # One transaction that stops at the first error: a failed restore leaves
    # the database as empty as it was. Owners and grants are the configured
    # user's, whoever owned the tables on the old server.
    _run(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connections[alias].settings_dict['NAME']}",
            str(dump),
        ],
        alias,
    )


def _database_is_empty(alias: str, vendor: str) -> bool:
    if vendor == "sqlite":
        return _sqlite_is_empty(_sqlite_path(alias))
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    connection.close()
    return not tables


# Migrations


def _check_migrated(alias: str, vendor: str) -> None:
    if vendor == "sqlite" and not _sqlite_path(alias).is_file():
        raise BackupError(f"The SQLite database {_sqlite_path(alias)} does not exist.")
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if "django_migrations" not in tables:
        raise BackupError(
            "The database has no Django tables: there is nothing to back up "
            "(has `manage.py migrate` been run?)."
        )


def _latest_migrations(applied: list[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration of each app (names are numbered)."""
    latest: dict[str, str] = {}
    for app, name in applied:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _unknown_migrations(migrations: dict[str, str]) -> list[str]:
    """Migrations of the backup that this code does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known
    ]


# Media


def _copy_from_storage(storage: Storage, name: str, target: Path) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as source, target.open("wb") as copy:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            copy.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _storage_label(storage: Storage) -> str:
    if storage is default_storage:
        return settings.STORAGES["default"]["BACKEND"]
    return f"{type(storage).__module__}.{type(storage).__qualname__}"


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupError(f"The manifest names an unsafe media path: {name!r}.")
    return name


# Backup


@contextmanager
def _partial_folder(destination: Path) -> Iterator[Path]:
    """A sibling folder to write into, renamed to `destination` only when all
    went well and removed otherwise: a half-written backup never carries the
    name of a good one."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial-{uuid.uuid4().hex}")
    # Only its owner may read it: the database holds password hashes and
    # session keys.
    partial.mkdir(mode=0o700)
    try:
        yield partial
        try:
            # Replaces an empty folder atomically; refuses one that is not.
            partial.rename(destination)
        except OSError as error:
            raise BackupError(
                f"Could not move the backup into {destination}: {error.strerror}."
            ) from error
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _check_destination(destination: Path) -> None:
    if destination.exists() and not destination.is_dir():
        raise BackupError(f"{destination} exists and is not a folder.")
    if destination.is_dir() and any(destination.iterdir()):
        raise BackupError(
            f"{destination} is not empty: a backup is written into a new or "
            "empty folder, never over another one."
        )


def backup(
    destination: Path,
    *,
    storage: Storage | None = None,
    progress: Progress | None = None,
) -> BackupResult:
    """Write a backup of the database and the media into `destination`, a new
    or empty folder."""
    with _plain_errors("The backup failed"):
        return _backup(destination, storage or default_storage, progress)


def _backup(
    destination: Path, storage: Storage, progress: Progress | None
) -> BackupResult:
    alias = DEFAULT_DB_ALIAS
    destination = Path(destination).absolute()
    _check_destination(destination)
    vendor = _vendor(alias)
    _check_migrated(alias, vendor)
    with _partial_folder(destination) as folder:
        started = datetime.datetime.now(datetime.UTC)
        dump = folder / DUMP_FILES[vendor]
        dumper = _dump_sqlite if vendor == "sqlite" else _dump_postgresql
        migrations, referenced = dumper(alias, dump)

        # After the snapshot: see the module's docstring.
        names = sorted(inventory.stored_names(storage))
        media = []
        for done, name in enumerate(names, 1):
            try:
                media.append(_copy_from_storage(storage, name, folder / MEDIA / name))
            except FileNotFoundError:
                # Deleted since it was listed: its row, if the snapshot has
                # one, makes it one of the missing below.
                (folder / MEDIA / name).unlink(missing_ok=True)
            if progress:
                progress(done, len(names))
        copied = {entry["name"] for entry in media}
        missing = sorted(referenced - copied)

        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(timespec="seconds"),
            "database": {"vendor": vendor, **_file_entry(dump.name, dump)},
            "migrations": migrations,
            "media": {
                "storage": _storage_label(storage),
                "files": media,
                "referenced": len(referenced),
                "missing": missing,
            },
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return BackupResult(path=destination, manifest=manifest, missing=missing)


# Restore


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(path.read_text())
        if manifest["format"] != FORMAT:
            raise BackupError(
                f"{path} is in backup format {manifest['format']}; this version "
                f"reads format {FORMAT}."
            )
        database, media = manifest["database"], manifest["media"]["files"]
        valid = (
            DUMP_FILES.get(database["vendor"]) == database["name"]
            and isinstance(manifest["migrations"], dict)
            and all({"name", "size", "sha256"} <= entry.keys() for entry in media)
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{path} is not a readable backup manifest.") from error
    if not valid:
        raise BackupError(f"{path} is not a readable backup manifest.")
    return manifest


def verify(source: Path, manifest: dict, progress: Progress | None = None) -> None:
    """Check every file of the backup against its size and checksum."""
    source = Path(source)
    entries = [(source / manifest["database"]["name"], manifest["database"])] + [
        (source / MEDIA / _safe_name(entry["name"]), entry)
        for entry in manifest["media"]["files"]
    ]
    for done, (path, entry) in enumerate(entries, 1):
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {path} is missing.")
        if path.stat().st_size != entry["size"] or _sha256_of(path) != entry["sha256"]:
            raise BackupError(
                f"The backup is corrupt: {path} does not match its checksum in "
                f"{MANIFEST}. Nothing was restored."
            )
        if progress:
            progress(done, len(entries))


def restore(
    source: Path,
    *,
    storage: Storage | None = None,
    progress: Progress | None = None,
) -> RestoreResult:
    """Restore a backup into an empty database and an empty media storage."""
    with _plain_errors("The restore failed"):
        return _restore(source, storage or default_storage, progress)


def _restore(
    source: Path, storage: Storage, progress: Progress | None
) -> RestoreResult:
    alias = DEFAULT_DB_ALIAS
    source = Path(source)
    manifest = read_manifest(source)
    vendor = _vendor(alias)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"The backup is of a {VENDOR_NAMES[manifest['database']['vendor']]} "
            f"database; the configured database is {VENDOR_NAMES[vendor]}."
        )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of the site: its database "
            f"has migrations this code does not know ({', '.join(unknown)}). "
            "Deploy that version first."
        )
    verify(source, manifest)
    if not _database_is_empty(alias, vendor):
        raise BackupError(
            "The configured database is not empty: restore only into a new "
            "database with no tables (create it, and restore before migrate)."
        )
    if next(inventory.stored_names(storage), None) is not None:
        raise BackupError(
            "The media storage is not empty: restore only into an empty media "
            "root (or bucket)."
        )

    dump = source / manifest["database"]["name"]
    (_restore_sqlite if vendor == "sqlite" else _restore_postgresql)(alias, dump)

    before = set(MigrationLoader(connections[alias]).applied_migrations)
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    after = set(MigrationLoader(connections[alias]).applied_migrations)
    applied = sorted(f"{app}.{name}" for app, name in after - before)

    entries = manifest["media"]["files"]
    for done, entry in enumerate(entries, 1):
        with (source / MEDIA / entry["name"]).open("rb") as content:
            stored = storage.save(entry["name"], File(content))
        if stored != entry["name"]:
            raise BackupError(
                f"The media storage saved {entry['name']} as {stored}: "
                "is something else writing to it?"
            )
        if progress:
            progress(done, len(entries))

    # Derived rows, written again from what was restored: nothing stale, no
    # duplicate, whatever the backup's index held.
    count = rebuild()
    return RestoreResult(
        manifest=manifest,
        files=len(entries),
        migrations_applied=applied,
        search_entries=count,
    )
