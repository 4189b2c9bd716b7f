from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Film catalog"

    def ready(self):
        from permalinks.registry import track

        from .models import Film, Person

        track(Film, "catalog:film-detail", "catalog:film-stills")
        track(Person, "catalog:person-detail")
