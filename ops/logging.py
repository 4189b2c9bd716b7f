"""Log lines that name their request, as plain text or one JSON object a line.

The request middleware (ops.middleware.RequestLogMiddleware) puts the request
id in a context variable, cleared when the response is closed;
`RequestIdFilter`, on the handlers, copies it onto every record emitted while
the request runs, whichever logger emits it (an error's traceback included),
so one id finds all the lines of a request.
"""

import contextvars
import datetime
import json
import logging

# "-" outside a request: management commands, the task worker, start-up.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)

# What LogRecord itself carries; anything else on a record came as `extra`.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id"}
    # Django's request logger passes the request object itself.
    | {"request"}
)


def forget_request_id(**kwargs) -> None:
    """Clear the id when the response is closed (request_finished): only
    then, since Django logs a 404 after the last middleware has returned."""
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request it was emitted in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class DisallowedHostAsWarning(logging.Filter):
    """Requests for hosts the site does not serve come from scanners and stray
    probes, not from a fault of the site: log each as one warning line, without
    the traceback Django attaches."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        record.exc_info = None
        record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, the
    record's `extra` fields (a request's method, path, status…) and, for an
    error, its traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
