"""Sitemaps whose cost does not grow with the catalog.

Django's sitemap views count every sitemap's items and take their latest
change on each request for the index, read page P with OFFSET and build a
dictionary and a template context per URL: 50,000 URLs held a worker for
seconds. Here the counts, the latest changes and the first primary key of
each page are memoised per content generation (`core.generation.memo`), and a
`RowSitemap` page is written straight from `values_list()` rows, the same
bytes Django's template gives (tests/news/test_sitemaps.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.generation import memo

SLUG_MARK = "SLUG-MARK"
URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_END = "\n</urlset>\n"
NEEDS_ESCAPE = frozenset("&<>\"'")


def slug_url(url_name: str) -> tuple[str, str]:
    """The path of a `<slug:slug>` URL before and after its slug, reversed
    once rather than per row."""
    path = reverse(url_name, kwargs={"slug": SLUG_MARK})
    before, _, after = path.partition(SLUG_MARK)
    return before, after


class CountedPaginator(Paginator):
    """Django's Paginator with the count given (memoised elsewhere) and the
    items read only when a page is: the index needs the number of pages
    alone."""

    def __init__(self, items: Callable[[], object], per_page: int, count: int):
        self.read_items = items
        super().__init__(None, per_page)
        self.count = count

    @property
    def object_list(self):
        if self._object_list is None:
            self._object_list = self.read_items()
        return self._object_list

    @object_list.setter
    def object_list(self, value) -> None:
        self._object_list = value

    def _check_object_list_is_ordered(self) -> None:
        """MemoSitemap.page_starts() needs the primary-key order already."""


class MemoSitemap(Sitemap):
    """A sitemap whose item count, page boundaries and latest change are
    computed once per change to the content. `items()` must be a queryset
    ordered by primary key, except for sitemaps that only ever have one page.
    """

    @property
    def memo_key(self) -> str:
        return f"sitemap:{type(self).__module__}.{type(self).__qualname__}:{self.limit}"

    def latest_change(self) -> datetime | None:
        """The latest lastmod of all items (one aggregate, when it changes)."""
        return super().get_latest_lastmod()

    def get_latest_lastmod(self):
        # In a tuple: memo() recomputes a None, and an empty sitemap has one.
        return memo(f"{self.memo_key}:latest", lambda: (self.latest_change(),))[0]

    def page_starts(self) -> tuple[int, list]:
        """The item count and the first primary key of each page."""

        def compute():
            items = self.items()
            if not isinstance(items, QuerySet):  # a list: a page of its own
                return len(items), []
            keys = list(items.values_list("pk", flat=True))
            return len(keys), keys[:: self.limit]

        return memo(f"{self.memo_key}:pages", compute)

    @property
    def paginator(self) -> Paginator:
        return CountedPaginator(self._items, self.limit, self.page_starts()[0])

    def page_number(self, page) -> int:
        """The number of page `page` (from the query string): Http404 if it
        is not one of the sitemap's pages, as in Django's view."""
        try:
            return self.paginator.validate_number(page)
        except PageNotAnInteger as error:
            raise Http404(f"No page '{page}'") from error
        except EmptyPage as error:
            raise Http404(f"Page {page} empty") from error

    def page_items(self, page):
        """The items of page `page`, found by primary key rather than by
        OFFSET."""
        number = self.page_number(page)
        count, starts = self.page_starts()
        if not count:
            return self.items().none()
        return self.items().filter(pk__gte=starts[number - 1])[: self.limit]


class RowSitemap(MemoSitemap):
    """A MemoSitemap written without model instances: `rows()` turns the
    page's queryset into (path, lastmod) pairs from `values_list()`."""

    urlset = URLSET

    def rows(self, items) -> Iterable[tuple]:
        raise NotImplementedError

    def page_body(self, page, base: str) -> str:
        elements = self.url_elements(self.rows(self.page_items(page)), escape(base))
        return self.urlset + "".join(elements) + URLSET_END

    def url_elements(self, rows: Iterable[tuple], base: str) -> Iterator[str]:
        """<url> elements as Django's sitemap.xml writes them."""
        zone = timezone.get_current_timezone()
        for path, lastmod in rows:
            if not NEEDS_ESCAPE.isdisjoint(path):
                path = escape(path)
            if lastmod is None:
                yield f"<url><loc>{base}{path}</loc></url>"
            else:
                day = lastmod.astimezone(zone).date().isoformat()
                yield f"<url><loc>{base}{path}</loc><lastmod>{day}</lastmod></url>"


@sitemap_views.x_robots_tag
def sitemap(request, sitemaps, section, **kwargs):
    """One sitemap's page (`?p=`): a RowSitemap written from rows, any other
    through Django's own view."""
    site = sitemaps.get(section)
    if site is None:
        raise Http404(f"No sitemap available for section: {section!r}")
    if callable(site):
        site = site()
    if not isinstance(site, RowSitemap):
        return sitemap_views.sitemap(request, {section: site}, section, **kwargs)
    protocol = site.get_protocol(request.scheme)
    base = f"{protocol}://{site.get_domain(get_current_site(request))}"
    body = site.page_body(request.GET.get("p", 1), base)
    return HttpResponse(body, content_type="application/xml")
