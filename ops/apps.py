from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from django.core.signals import request_finished

        from . import checks  # noqa: F401  (registers them)
        from .logging import forget_request_id

        request_finished.connect(forget_request_id)
