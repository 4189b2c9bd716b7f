from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError
from ops.progress import Counter

Result = TypeVar("Result")


class BackupFolderCommand(BaseCommand):
    """`backup DIR` and `restore DIR`: one folder, a counter of the media files
    on a terminal, and a backup's errors as one line, never a traceback."""

    progress_label: str

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", type=Path)
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing but errors."
        )

    def run(
        self, action: Callable[..., Result], directory: Path, quiet: bool
    ) -> Result:
        counter = Counter(self.stderr, self.progress_label, quiet)
        try:
            return action(directory, progress=counter)
        except BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            counter.finish()
