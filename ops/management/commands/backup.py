from pathlib import Path

from ops.backups import VENDOR_NAMES, backup
from ops.management.base import BackupFolderCommand


class Command(BackupFolderCommand):
    progress_label = "Copying media files"
    help = (
        "Write a backup of the database and the media into DIR, a new or empty "
        "folder: the database snapshot, every media file, and manifest.json "
        "with their checksums and the migration state."
    )

    def handle(self, *args, directory: Path, quiet: bool, **options):
        result = self.run(backup, directory, quiet)
        manifest = result.manifest
        for name in result.missing:
            self.stderr.write(
                f"Warning: {name} is named by a row of the snapshot but was gone "
                "from media storage (deleted while the backup ran?)."
            )
        if not quiet:
            files = manifest["media"]["files"]
            vendor = VENDOR_NAMES[manifest["database"]["vendor"]]
            size = sum(entry["size"] for entry in files) + manifest["database"]["size"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup written to {result.path}: the "
                    f"{vendor} database and {len(files)} "
                    f"media file{'s' if len(files) != 1 else ''}, "
                    f"{size / 2**20:.1f} MB."
                )
            )
