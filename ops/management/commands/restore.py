from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backups import VENDOR_NAMES, BackupError, restore
from ops.progress import Counter


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` into an empty database (no "
        "tables: before migrate) and an empty media root, after checking every "
        "checksum; then apply newer migrations and rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", type=Path)
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing but errors."
        )

    def handle(self, *args, directory: Path, quiet: bool, **options):
        counter = Counter(self.stderr, "Restoring media files", quiet)
        try:
            result = restore(directory, progress=counter)
        except BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            counter.finish()
        manifest = result.manifest
        missing = manifest["media"].get("missing", [])
        if missing:
            self.stderr.write(
                f"Warning: the backup lacks {len(missing)} file"
                f"{'s' if len(missing) != 1 else ''} its rows name (deleted "
                "while it was made); `manage.py media_check` lists them."
            )
        if quiet:
            return
        self.stdout.write(
            f"Restored the {VENDOR_NAMES[manifest['database']['vendor']]} database and "
            f"{result.files} media file{'s' if result.files != 1 else ''} of the "
            f"backup made at {manifest['created_at']}."
        )
        if result.migrations_applied:
            self.stdout.write(
                "Applied migrations newer than the backup: "
                + ", ".join(result.migrations_applied)
                + "."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt ({result.search_entries} catalog entries). "
                "Run `manage.py media_check` next."
            )
        )
