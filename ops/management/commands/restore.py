from pathlib import Path

from ops.backups import VENDOR_NAMES, restore
from ops.management.base import BackupFolderCommand


class Command(BackupFolderCommand):
    progress_label = "Restoring media files"
    help = (
        "Restore a backup written by `backup` into an empty database (no "
        "tables: before migrate) and an empty media root, after checking every "
        "checksum; then apply newer migrations and rebuild the search index."
    )

    def handle(self, *args, directory: Path, quiet: bool, **options):
        result = self.run(restore, directory, quiet)
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
