"""Backups and restores of the database and the media, run as an operator
runs them: `manage.py` in a process of its own, configured by its environment
(DATABASE_URL, DJANGO_MEDIA_ROOT), never the test database."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from benchmarks.common import local_production_settings
from catalog.models import Portrait, Still
from tests.factories import image_upload, make_person, make_portrait, make_still

BASE_DIR = Path(__file__).resolve().parents[2]


@dataclass
class Site:
    """A database and a media root, and the environment that names them."""

    env: dict[str, str]
    media: Path

    def run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *arguments],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(arguments)} failed:\n{result.stderr}")
        return result

    def manage(self, *arguments: str, check: bool = True):
        return self.run("manage.py", *arguments, check=check)

    def snapshot(self) -> dict:
        return json.loads(self.run("-m", "tests.ops.backup_site", "snapshot").stdout)

    def checksums(self) -> dict[str, str]:
        return {
            path.relative_to(self.media).as_posix(): hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
            for path in sorted(self.media.rglob("*"))
            if path.is_file()
        }


def site(folder: Path, database_url: str | None = None) -> Site:
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ["PATH"],
        **local_production_settings(folder, "backup-test-"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return Site(env=env, media=folder / "media")


def built_site(folder: Path, database_url: str | None = None) -> Site:
    source = site(folder, database_url)
    source.manage("migrate")
    source.run("-m", "tests.ops.backup_site", "build")
    return source


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    """A clear one-line refusal, exit status 1, no traceback."""
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("CommandError: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def assert_untouched(folder: Path, media: tuple[str, ...] = ()) -> None:
    """The target of a refused restore: a database with no tables (the
    command's start-up checks may have created the file) and its media root as
    it was."""
    database = folder / "db.sqlite3"
    if database.exists():
        with closing(sqlite3.connect(database)) as connection:
            tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
        assert tables == []
    found = sorted(
        p.relative_to(folder / "media").as_posix()
        for p in (folder / "media").rglob("*")
        if p.is_file()
    )
    assert found == sorted(media)


def assert_same_site(source: Site, restored: Site) -> None:
    original, copy = source.snapshot(), restored.snapshot()
    assert copy["rows"].keys() == original["rows"].keys()
    for label, rows in original["rows"].items():
        assert copy["rows"][label] == rows, label
    assert copy["search_entries"] == original["search_entries"]
    assert copy["searches"] == original["searches"]
    assert restored.checksums() == source.checksums()


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory) -> Site:
    """A SQLite site with films, people, credits, real pictures, articles and
    a user, and its search index."""
    return built_site(tmp_path_factory.mktemp("source"))


@pytest.fixture(scope="module")
def sqlite_backup(sqlite_site, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("backups") / "2026-12-01"
    sqlite_site.manage("backup", str(folder))
    return folder


# Round trips


def test_a_restored_sqlite_site_is_the_site_that_was_backed_up(
    sqlite_site, sqlite_backup, tmp_path
):
    """Restored into a new database file and an empty media root, the site has
    every row, every file byte for byte, and finds the same things."""
    restored = site(tmp_path / "restored")
    result = restored.manage("restore", str(sqlite_backup))
    assert "Restored the SQLite database and" in result.stdout
    assert "No migrations to apply" in restored.manage("migrate").stdout
    assert_same_site(sqlite_site, restored)
    snapshot = restored.snapshot()
    assert snapshot["rows"]["catalog.Still"], "the site has no stills"
    assert snapshot["searches"]["ryoo kyungsoo"]["people"]
    assert snapshot["searches"]["android"]["articles"]
    assert "Every picture row has its files" in restored.manage("media_check").stdout


@pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump and pg_restore (PostgreSQL's client programs) are not installed",
)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="runs with the suite on PostgreSQL (DATABASE_URL=postgres://…)",
)
def test_a_restored_postgresql_site_is_the_site_that_was_backed_up(tmp_path):
    """The same round trip through pg_dump and pg_restore, between two new
    databases on the test server."""
    import psycopg

    settings = connection.settings_dict
    suffix = uuid.uuid4().hex[:10]
    names = [f"filmsite_backup_src_{suffix}", f"filmsite_backup_dst_{suffix}"]
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    server = (
        f"postgres://{credentials}@{settings['HOST'] or 'localhost'}"
        f":{settings['PORT'] or 5432}"
    )
    admin = psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        source = built_site(tmp_path / "source", f"{server}/{names[0]}")
        source.manage("backup", str(tmp_path / "backup"))
        manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
        assert manifest["database"]["name"] == "database.pgdump"
        assert (tmp_path / "backup" / "database.pgdump").read_bytes()[:5] == b"PGDMP"

        restored = site(tmp_path / "restored", f"{server}/{names[1]}")
        result = restored.manage("restore", str(tmp_path / "backup"))
        assert "Restored the PostgreSQL database and" in result.stdout
        assert "No migrations to apply" in restored.manage("migrate").stdout
        assert_same_site(source, restored)
        assert restored.snapshot()["searches"]["seoul"]["articles"]
        restored.manage("media_check")
        assert_refused(
            restored.manage("restore", str(tmp_path / "backup"), check=False),
            "database is not empty",
        )
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# What a backup holds


def test_the_manifest_lists_the_database_every_file_and_the_migrations(
    sqlite_site, sqlite_backup
):
    """The manifest names the dump, every media file with its size and SHA-256,
    the latest migration of each app, the database and the time."""
    manifest = json.loads((sqlite_backup / "manifest.json").read_text())
    dump = sqlite_backup / "database.sqlite3"
    assert manifest["database"] == {
        "vendor": "sqlite",
        "name": "database.sqlite3",
        "size": dump.stat().st_size,
        "sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
    }
    assert {
        entry["name"]: entry["sha256"] for entry in manifest["media"]["files"]
    } == sqlite_site.checksums()
    for entry in manifest["media"]["files"]:
        copy = sqlite_backup / "media" / entry["name"]
        assert copy.stat().st_size == entry["size"]
    assert manifest["media"]["missing"] == []
    assert manifest["migrations"]["catalog"].startswith("0")
    assert {"auth", "catalog", "news", "search"} <= manifest["migrations"].keys()
    assert manifest["created_at"].startswith("20")
    # The database holds password hashes: the folder is its owner's alone.
    assert stat.S_IMODE(sqlite_backup.stat().st_mode) == 0o700
    # A plain database file: nothing beside it that SQLite would need.
    assert sorted(p.name for p in sqlite_backup.iterdir()) == [
        "database.sqlite3",
        "manifest.json",
        "media",
    ]


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    """An existing backup is never written over."""
    (tmp_path / "earlier").mkdir()
    (tmp_path / "earlier" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path / "earlier"))
    assert [p.name for p in (tmp_path / "earlier").iterdir()] == ["manifest.json"]


def test_a_failed_backup_leaves_no_folder_behind(tmp_path):
    """A backup that cannot finish leaves neither the folder nor a half-written
    one that could be taken for a backup."""
    broken = site(tmp_path / "nothing")  # never migrated: no tables
    result = broken.manage("backup", str(tmp_path / "backups" / "today"), check=False)
    assert_refused(result, "has `manage.py migrate` been run?")
    assert not (tmp_path / "backups").exists()


def test_files_missing_at_backup_time_are_reported_all_the_way(tmp_path):
    """A row whose files are not in storage: the backup says so and records
    it, the restore repeats it, and media_check on the restored site fails
    naming the file, rather than pages quietly showing broken images."""
    source = site(tmp_path / "source")
    source.manage("migrate")
    master = source.run("-m", "tests.ops.backup_site", "still-without-files")
    master = master.stdout.strip()

    backup = source.manage("backup", str(tmp_path / "backup"))
    assert f"Warning: {master} is named by a row of the snapshot" in backup.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert master in manifest["media"]["missing"]

    restored = site(tmp_path / "restored")
    result = restored.manage("restore", str(tmp_path / "backup"))
    assert "Warning: the backup lacks" in result.stderr
    check = restored.manage("media_check", check=False)
    assert check.returncode == 1
    assert f"Missing: catalog.Still 1: {master}" in check.stdout
    assert "CommandError:" in check.stderr and "Traceback" not in check.stderr


# What restore refuses


def test_restore_refuses_a_corrupt_backup_naming_the_file(sqlite_backup, tmp_path):
    """One flipped byte in a media file: restore names it and changes nothing."""
    corrupt = tmp_path / "corrupt"
    shutil.copytree(sqlite_backup, corrupt)
    manifest = json.loads((corrupt / "manifest.json").read_text())
    name = manifest["media"]["files"][3]["name"]
    damaged = corrupt / "media" / name
    content = bytearray(damaged.read_bytes())
    content[len(content) // 2] ^= 0xFF
    damaged.write_bytes(bytes(content))

    target = site(tmp_path / "target")
    result = target.manage("restore", str(corrupt), check=False)
    assert_refused(result, "corrupt", name)
    assert_untouched(tmp_path / "target")


def test_restore_refuses_a_backup_with_a_missing_file(sqlite_backup, tmp_path):
    incomplete = tmp_path / "incomplete"
    shutil.copytree(sqlite_backup, incomplete)
    (incomplete / "database.sqlite3").unlink()
    result = site(tmp_path / "target").manage("restore", str(incomplete), check=False)
    assert_refused(result, "incomplete", "database.sqlite3")


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a backup: it has no manifest"):
        call_command("restore", str(tmp_path))


def test_restore_refuses_a_backup_made_by_a_newer_version(sqlite_backup, tmp_path):
    """A backup whose database has migrations this code lacks needs that code."""
    newer = tmp_path / "newer"
    shutil.copytree(sqlite_backup, newer)
    manifest = json.loads((newer / "manifest.json").read_text())
    manifest["migrations"]["catalog"] = "9999_from_the_future"
    (newer / "manifest.json").write_text(json.dumps(manifest))
    target = site(tmp_path / "target")
    assert_refused(
        target.manage("restore", str(newer), check=False),
        "newer version",
        "catalog.9999_from_the_future",
    )
    assert_untouched(tmp_path / "target")


def test_restore_refuses_a_database_that_is_not_empty(
    sqlite_site, sqlite_backup, tmp_path
):
    """Neither a site with content nor a freshly migrated database (its tables
    and permissions exist already): restore goes into a database with no
    tables, before migrate."""
    assert_refused(
        sqlite_site.manage("restore", str(sqlite_backup), check=False),
        "database is not empty",
    )
    migrated = site(tmp_path / "migrated")
    migrated.manage("migrate")
    assert_refused(
        migrated.manage("restore", str(sqlite_backup), check=False),
        "database is not empty",
    )
    assert not migrated.media.exists()


def test_restore_refuses_a_media_root_that_is_not_empty(sqlite_backup, tmp_path):
    target = site(tmp_path / "target")
    (target.media / "images").mkdir(parents=True)
    (target.media / "images" / "left-over.jpg").write_bytes(b"x")
    assert_refused(
        target.manage("restore", str(sqlite_backup), check=False),
        "media storage is not empty",
    )
    assert_untouched(tmp_path / "target", media=("images/left-over.jpg",))


# media_check


@pytest.fixture
def still(db, media_root):
    return make_still(image=image_upload(), caption="Uploaded")


def test_media_check_passes_when_every_row_has_its_files(still, capsys):
    call_command("media_check")
    assert "Every picture row has its files" in capsys.readouterr().out


def test_media_check_fails_and_names_a_row_whose_file_is_gone(still, media_root):
    """A deleted rendition is an error naming the row and the file."""
    rendition = still.file_names()[2]
    (Path(media_root) / rendition).unlink()
    with pytest.raises(CommandError, match="1 file missing for 1 picture row"):
        call_command("media_check", stdout=(out := io.StringIO()))
    assert f"Missing: catalog.Still {still.pk}: {rendition}" in out.getvalue()


def test_media_check_reports_files_no_row_names_as_a_warning(still, media_root, capsys):
    """A file without a row is listed, but is no failure."""
    stray = Path(media_root) / "images" / "00" / "stray" / "original.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left behind")
    call_command("media_check")
    output = capsys.readouterr()
    assert "No row: images/00/stray/original.jpg" in output.out
    assert "Warning: 1 file in media storage that no row names" in output.err


def test_media_check_checks_portraits_too(db, media_root):
    portrait = make_portrait(make_person(), image=image_upload("p.jpg", 400, 500))
    (Path(media_root) / portrait.image.name).unlink()
    with pytest.raises(CommandError, match="missing"):
        call_command("media_check", stdout=(out := io.StringIO()))
    assert f"catalog.Portrait {portrait.pk}: {portrait.image.name}" in out.getvalue()
    assert Portrait.objects.count() == 1 and Still.objects.count() == 0
