import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from images import files
from images.inventory import referenced_names, stored_names


class Command(BaseCommand):
    help = (
        "List media files that no row points to (left by an interrupted upload or "
        "a rolled-back transaction); with --delete, remove them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the files listed."
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Only files older than this, so an upload being saved right now "
            "is left alone (default: 60).",
        )

    def handle(self, *args, delete, min_age, **options):
        storage = default_storage
        candidates = list(stored_names(storage))
        referenced = referenced_names()
        cutoff = timezone.now() - datetime.timedelta(minutes=min_age)
        orphans = []
        for name in sorted(candidates):
            if name in referenced:
                continue
            try:
                modified = storage.get_modified_time(name)
            except (NotImplementedError, OSError):
                modified = None
            if modified is not None and min_age and modified > cutoff:
                continue
            orphans.append(name)
            self.stdout.write(name)

        if delete and orphans:
            files.delete(storage, orphans)
        verb = "Deleted" if delete else "Found"
        self.stderr.write(
            f"{verb} {len(orphans)} orphaned file{'s' if len(orphans) != 1 else ''} "
            f"among {len(candidates)} in media storage."
        )
