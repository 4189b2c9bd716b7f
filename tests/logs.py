"""Reading what the site logs: its loggers do not propagate to the root
logger (see LOGGING), so pytest's caplog does not see them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]):
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def captured(name: str, *filters: logging.Filter) -> Iterator[list[logging.LogRecord]]:
    """The records the logger `name` emits meanwhile, through `filters`."""
    records: list[logging.LogRecord] = []
    handler = _Keep(records)
    for log_filter in filters:
        handler.addFilter(log_filter)
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
