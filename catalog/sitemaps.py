from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Film, Person


class UpdatedSitemap(Sitemap):
    """Pages of a model with an ``updated`` time: its lastmod, and the index's
    lastmod from one aggregate rather than a walk over every row."""

    model = None

    def items(self):
        return self.model.objects.only("slug", "updated").order_by("pk")

    def lastmod(self, obj):
        return obj.updated

    def get_latest_lastmod(self):
        return self.model.objects.aggregate(latest=Max("updated"))["latest"]


class FilmSitemap(UpdatedSitemap):
    """Every film page; the catalog has no private entries."""

    model = Film


class PersonSitemap(UpdatedSitemap):
    model = Person
