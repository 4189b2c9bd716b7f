"""Error reports to Sentry, when SENTRY_DSN is set and sentry-sdk installed
(requirements-sentry.txt). The SDK reads SENTRY_ENVIRONMENT and
SENTRY_RELEASE from the environment itself."""

from .logging import request_id


def init_sentry(dsn: str) -> bool:
    """Start the SDK; False if it is not installed (a check warns about it)."""
    try:
        import sentry_sdk
    except ImportError:
        return False
    sentry_sdk.init(dsn=dsn, send_default_pii=False, before_send=tag_request_id)
    return True


def tag_request_id(event: dict, hint: dict) -> dict:
    """Tag each event with the request's id, the one the log lines and the
    500 page show."""
    current = request_id.get()
    if current != "-":
        event.setdefault("tags", {})["request_id"] = current
    return event
