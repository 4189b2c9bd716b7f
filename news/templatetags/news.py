from decimal import Decimal

from django import template
from django.db.models import F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils.html import format_html_join

from catalog.models import Film, Person
from catalog.selectors import FilmDetails
from catalog.structured_data import movie
from core.reversing import fixed_url, slug_url
from news import structured_data
from news.feeds import FORMATS, format_url_name
from news.models import Article, bylines_prefetch
from seo.templatetags.seo import absolute_builder, jsonld

register = template.Library()

COVERAGE_LIMIT = 10


@register.simple_tag(takes_context=True)
def coverage_of(context, subject: Film | Person) -> dict[str, list[Article]]:
    """The latest published news and reviews about a film or a person, for
    its catalog page, in one query whatever the amount of coverage. The page's
    head and body share it through the render context, the template engine's
    place for state that lasts one rendering of a page."""
    key = ("coverage", subject._meta.label, subject.pk)
    if key not in context.render_context:
        context.render_context[key] = _coverage_of(subject)
    return context.render_context[key]


def _coverage_of(subject: Film | Person) -> dict[str, list[Article]]:
    # Only what the lists and the film's JSON-LD show: no bodies.
    articles = Article.objects.published().only(
        "kind", "slug", "headline", "published_at", "reviewed_film_id", "rating"
    )
    if isinstance(subject, Film):
        articles = articles.about_film(subject)
    else:
        articles = articles.about_person(subject)
    newest_first = [F("published_at").desc(), F("pk").desc()]
    # The newest COVERAGE_LIMIT of each kind: enough for both lists below.
    articles = list(
        articles.annotate(
            rank=Window(RowNumber(), partition_by=[F("kind")], order_by=newest_first)
        )
        .filter(rank__lte=COVERAGE_LIMIT)
        .order_by(*newest_first)
    )
    return {
        "news": [a for a in articles if a.kind != Article.Kind.REVIEW][:COVERAGE_LIMIT],
        "reviews": [a for a in articles if a.kind == Article.Kind.REVIEW],
    }


@register.filter
def stars(rating: Decimal | None) -> str:
    """3.5 -> "★★★½☆": the rating drawn, for sighted readers only."""
    if rating is None:
        return ""
    whole = int(rating)
    half = rating - whole >= Decimal("0.5")
    return "★" * whole + ("½" if half else "") + "☆" * (5 - whole - half)


@register.filter
def machine_time(value) -> str:
    """A datetime as <time datetime> wants it: ISO 8601 to the second."""
    return structured_data.iso(value) or ""


@register.simple_tag(takes_context=True)
def film_jsonld(context, film: Film, details: FilmDetails) -> str:
    """The film page's Movie as JSON-LD, with the site's reviews of it (the
    ones the page lists; their bylines cost one query when there are any)."""
    absolute = absolute_builder(context)
    coverage = coverage_of(context, film)
    reviews = [a for a in coverage.get("reviews", []) if a.reviewed_film_id == film.pk]
    prefetch_related_objects(reviews, bylines_prefetch())
    summaries = [structured_data.review_summary(review, absolute) for review in reviews]
    return jsonld(movie(film, details, absolute, summaries))


@register.simple_tag(takes_context=True)
def article_jsonld(context, article: Article) -> str:
    """The article page's NewsArticle or Review, as JSON-LD."""
    return jsonld(structured_data.article(article, absolute_builder(context)))


# The media type each feed format is announced with, by its label in FORMATS.
FEED_TYPES = {
    "RSS": "application/rss+xml",
    "Atom": "application/atom+xml",
    "JSON Feed": "application/feed+json",
}


@register.simple_tag
def feed_url(feed: str, slug: str = "", suffix: str = "") -> str:
    """The address of a feed by its URL name ("news:film-feed"), with the slug
    of its film, person, section or author if it has one."""
    name = format_url_name(feed, suffix)
    return slug_url(name, slug) if slug else fixed_url(name)


@register.simple_tag(takes_context=True)
def feed_alternates(context, feed: str, slug: str = "", about: str = "") -> str:
    """Autodiscovery of a feed in each format. ``feed``: its URL name
    ("news:film-feed"); for one film, person, section or author, ``slug`` and
    ``about`` ("about Jung_E"); without them, the latest articles."""
    subject = f"articles {about}" if about else "latest articles"
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}: {} ({})" href="{}">',
        (
            (FEED_TYPES[label], context.get("site_name"), subject, label)
            + (feed_url(feed, slug, suffix),)
            for label, suffix, _generator in FORMATS
        ),
    )
