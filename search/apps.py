from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import signals
        from .backends import set_trigram_threshold

        signals.connect()
        connection_created.connect(set_trigram_threshold, dispatch_uid="search")
