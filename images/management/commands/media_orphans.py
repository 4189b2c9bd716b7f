import datetime
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from images import files
from images.models import Picture


def referenced_names() -> set[str]:
    """Every file name some picture row points to: masters and renditions."""
    names: set[str] = set()
    for model in apps.get_models():
        if issubclass(model, Picture):
            for name, renditions in model._base_manager.values_list(
                "image", "renditions"
            ).iterator():
                names.update(files.names_of(name, renditions))
    return names


def stored_names(storage, directory: str = "") -> Iterator[str]:
    directories, filenames = storage.listdir(directory)
    for filename in filenames:
        yield f"{directory}/{filename}" if directory else filename
    for sub in directories:
        yield from stored_names(storage, f"{directory}/{sub}" if directory else sub)


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
        try:
            candidates = list(stored_names(storage))
        except FileNotFoundError:
            candidates = []
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
