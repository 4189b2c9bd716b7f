from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.services import DemoAlreadyLoaded, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo content: Jung_E with its cast and crew, related works, its "
        "poster, stills, portraits and teaser, and three articles about it. Only "
        "into a database that has never had it: a later run changes nothing, so "
        "what editors deleted stays deleted. --force loads it again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even if it was loaded before: what is missing is "
            "added back, what exists (edits included) is kept.",
        )

    def handle(self, *args, force: bool, **options):
        try:
            load_demo(
                force=force,
                report=lambda line: self.stdout.write(self.style.SUCCESS(line)),
            )
        except DemoAlreadyLoaded as already:
            loaded_at = timezone.localtime(already.load.loaded_at)
            self.stdout.write(
                f"The demo was already loaded on {loaded_at:%Y-%m-%d %H:%M %Z}; "
                "nothing was changed. Run load_demo --force to load it again "
                "(it adds back what is missing and keeps what exists)."
            )
