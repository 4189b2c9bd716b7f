import logging


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
