from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site shell"

    def ready(self):
        from django.db import connections

        from . import generation

        # Every write to content moves the page cache's generation.
        connection_created.connect(generation.watch)
        for connection in connections.all(initialized_only=True):
            generation.watch(connection)
