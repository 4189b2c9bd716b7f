"""A one-line counter for long commands, drawn only on a terminal so that
cron mail and piped output stay clean."""

from __future__ import annotations

from typing import TextIO


class Counter:
    def __init__(self, stream: TextIO, label: str, quiet: bool = False):
        self.stream, self.label = stream, label
        self.shown = not quiet and stream.isatty()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if self.shown and (done == total or done % 50 == 0):
            self.stream.write(f"\r{self.label} {done:,}/{total:,}")
            self.stream.flush()
            self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.drawn = False
