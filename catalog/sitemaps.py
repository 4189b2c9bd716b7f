from django.db.models import Max

from seo.sitemaps import RowSitemap, slug_url

from .models import Film, Person


class UpdatedSitemap(RowSitemap):
    """Pages of a model with an ``updated`` time: its lastmod, and the index's
    lastmod from one aggregate (on the ``updated`` index) rather than a walk
    over every row."""

    model = None
    url_name = ""

    def items(self):
        return self.model.objects.only("slug", "updated").order_by("pk")

    def lastmod(self, obj):
        return obj.updated

    def latest_change(self):
        return self.model.objects.aggregate(latest=Max("updated"))["latest"]

    def rows(self, items):
        before, after = slug_url(self.url_name)
        for slug, updated in items.values_list("slug", "updated"):
            yield f"{before}{slug}{after}", updated


class FilmSitemap(UpdatedSitemap):
    """Every film page; the catalog has no private entries."""

    model = Film
    url_name = "catalog:film-detail"


class PersonSitemap(UpdatedSitemap):
    model = Person
    url_name = "catalog:person-detail"
