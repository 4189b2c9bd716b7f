from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from images.inventory import missing_files, referenced_names, stored_names


class Command(BaseCommand):
    help = (
        "Check media storage against the picture rows: list the files rows name "
        "that are missing (an error: the pages would show broken images) and "
        "the files no row names (a warning: `media_orphans --delete` removes "
        "them)."
    )

    def handle(self, *args, **options):
        stored = set(stored_names(default_storage))
        missing = missing_files(stored)
        orphans = sorted(stored - referenced_names())
        for file in missing:
            self.stdout.write(f"Missing: {file}")
        for name in orphans:
            self.stdout.write(f"No row: {name}")
        if orphans:
            self.stderr.write(
                f"Warning: {len(orphans)} file{'s' if len(orphans) != 1 else ''} "
                "in media storage that no row names (`manage.py media_orphans "
                "--delete` removes those older than an hour)."
            )
        if missing:
            rows = len({(file.model, file.pk) for file in missing})
            raise CommandError(
                f"{len(missing)} file{'s' if len(missing) != 1 else ''} missing "
                f"for {rows} picture row{'s' if rows != 1 else ''}: restore "
                "them from a backup or upload the pictures again."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Every picture row has its files ({len(stored)} in media storage)."
            )
        )
