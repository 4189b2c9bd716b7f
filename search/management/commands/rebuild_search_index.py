import time

from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Write the search index again from the catalog and the articles. Saves "
        "in the admin keep it current; run this after bulk imports or "
        "queryset.update(), which send no signals."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {count} catalog entries "
                f"in {time.monotonic() - started:.1f}s."
            )
        )
