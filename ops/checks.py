import importlib.util

from django.conf import settings
from django.core.checks import Warning, register


@register()
def sentry_installed(app_configs, **kwargs):
    """SENTRY_DSN without sentry-sdk reports nothing: say so at start-up."""
    if settings.SENTRY_DSN and importlib.util.find_spec("sentry_sdk") is None:
        return [
            Warning(
                "SENTRY_DSN is set but sentry-sdk is not installed, so errors "
                "are not reported to it.",
                hint="pip install -r requirements-sentry.txt",
                id="ops.W001",
            )
        ]
    return []
