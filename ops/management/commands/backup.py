from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backups import VENDOR_NAMES, BackupError, backup
from ops.progress import Counter


class Command(BaseCommand):
    help = (
        "Write a backup of the database and the media into DIR, a new or empty "
        "folder: the database snapshot, every media file, and manifest.json "
        "with their checksums and the migration state."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", type=Path)
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing but errors."
        )

    def handle(self, *args, directory: Path, quiet: bool, **options):
        counter = Counter(self.stderr, "Copying media files", quiet)
        try:
            result = backup(directory, progress=counter)
        except BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            counter.finish()
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
