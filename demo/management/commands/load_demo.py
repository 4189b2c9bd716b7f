from django.core.management.base import BaseCommand
from django.db import transaction

from demo.catalog import load_catalog_demo
from demo.news import load_news_demo
from demo.pictures import load_pictures_demo


class Command(BaseCommand):
    help = (
        "Load the demo content: Jung_E with its cast and crew, related works, its "
        "poster, stills, portraits and teaser, and three articles about it. Safe "
        "to rerun: what exists, edits included, is kept."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(load_catalog_demo()))
        pictures = load_pictures_demo()
        self.stdout.write(self.style.SUCCESS(str(pictures)))
        total, new = load_news_demo(pictures.stills)
        self.stdout.write(
            self.style.SUCCESS(f"Demo magazine: {total} articles ({new} new).")
        )
