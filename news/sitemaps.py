import datetime

from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

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


class NewsSitemap(PublishedArticles, MemoSitemap):
    """The Google News sitemap: articles published in the last two days, with
    their publication, date and title (see templates/sitemaps/news.xml)."""

    # Google News reads at most 1,000 articles a sitemap.
    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            super()
            .items()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-pk")
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
