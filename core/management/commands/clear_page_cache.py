from django.core.management.base import BaseCommand, CommandError

from core import generation


class Command(BaseCommand):
    help = (
        "Make every cached page stale, for a change made outside Django (by hand "
        "in the database, say). Changes made through the site need no such step."
    )

    def handle(self, *args, **options):
        generation.bump()
        if generation.store().failed:
            raise CommandError("The page cache cannot be reached; nothing changed.")
        self.stdout.write("Every cached page is stale: the next request renders it.")
