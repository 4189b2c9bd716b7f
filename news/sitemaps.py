import datetime

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.generation import memo
from seo.sitemaps import MemoSitemap, RowSitemap, slug_url

from .models import Article, Author, Section

# Google News reads articles from the last two days only.
NEWS_WINDOW = datetime.timedelta(days=2)


class PublishedArticles:
    """Published articles only: drafts, scheduled and unpublished ones stay out."""

    def items(self):
        return (
            Article.objects.published()
            .annotate(last_change=Greatest("updated", "published_at"))
            .only("slug", "kind", "headline", "updated", "published_at")
            .order_by("pk")
        )

    def lastmod(self, article):
        return article.last_change

    def latest_change(self):
        return self.items().aggregate(latest=Max("last_change"))["latest"]


class ArticleSitemap(PublishedArticles, RowSitemap):
    def rows(self, items):
        news = slug_url("news:article-detail")
        reviews = slug_url("news:review-detail")
        review = Article.Kind.REVIEW
        for slug, kind, last_change in items.values_list("slug", "kind", "last_change"):
            before, after = reviews if kind == review else news
            yield f"{before}{slug}{after}", last_change


class NewsSitemap(PublishedArticles, RowSitemap):
    """The Google News sitemap: articles published in the last two days, with
    their publication, date and title, written as templates/sitemaps/news.xml
    renders them (tests/news/test_sitemaps.py compares the two)."""

    # Google News reads at most 1,000 articles a sitemap.
    limit = 1000
    urlset = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
    )

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            super()
            .items()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-pk")
        )

    def page_items(self, page):
        """Newest first, so not by primary key: the page's keys are memoised,
        read once per change from the two days' articles."""
        number = self.page_number(page)
        start = (number - 1) * self.limit

        def keys():
            found = self.items().values_list("pk", flat=True)
            return list(found[start : start + self.limit])

        return self.items().filter(pk__in=memo(f"{self.memo_key}:{number}", keys))

    def rows(self, items):
        news = slug_url("news:article-detail")
        reviews = slug_url("news:review-detail")
        review = Article.Kind.REVIEW
        for slug, kind, headline, published_at in items.values_list(
            "slug", "kind", "headline", "published_at"
        ):
            before, after = reviews if kind == review else news
            yield f"{before}{slug}{after}", headline, published_at

    def url_elements(self, rows, base):
        zone = timezone.get_current_timezone()
        publication = (
            f"<news:publication><news:name>{escape(settings.SITE_NAME)}</news:name>"
            "<news:language>en</news:language></news:publication>"
        )
        for path, headline, published_at in rows:
            published = published_at.astimezone(zone).isoformat()
            yield (
                f"<url><loc>{base}{path}</loc><news:news>{publication}"
                f"<news:publication_date>{published}</news:publication_date>"
                f"<news:title>{escape(headline)}</news:title></news:news></url>"
            )


def last_published(relation: str) -> Subquery:
    """The latest publication time of the published articles whose `relation`
    is the outer row (a section, an author), as a subquery."""
    return Subquery(
        Article.objects.published()
        .filter(**{relation: OuterRef("pk")})
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class ListPageSitemap(MemoSitemap):
    """The index pages, sections and authors: each lists published articles or
    catalog entries, and changes when they do."""

    NAMED = [
        "home",
        "catalog:film-list",
        "catalog:person-list",
        "news:article-list",
        "news:review-list",
        "news:feed-list",
    ]

    def items(self):
        sections = Section.objects.annotate(last_published=last_published("section"))
        authors = Author.objects.annotate(last_published=last_published("authors"))
        return [*self.NAMED, *sections.order_by("pk"), *authors.order_by("pk")]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.last_published
