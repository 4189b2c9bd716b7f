"""Feeds of the published articles: the whole site, news, reviews, and each film,
person, section and author, in RSS 2.0, Atom 1.0 and JSON Feed 1.1.

One Feed class per "which articles", built on Django's syndication framework;
the format is the feed generator it is given (see `feed_urls` in urls.py), one
of the writers in feed_formats.py.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Enclosure, SyndicationFeed
from django.views.decorators.http import require_safe

from catalog.models import Film, Person
from core.text import strip_control_characters

from .feed_formats import (
    RATING_SCALE,
    ArticleAtomFeed,
    ArticleRssFeed,
    JsonFeed,
    format_rating,
)
from .models import Article, ArticleQuerySet, Author, Section

FEED_LENGTH = 30


def clean_text(value: object) -> str:
    """Text as the XML writer can take it: Django's feed generators raise (a 500)
    on control characters, and old rows or catalog fields may still hold some."""
    return strip_control_characters(str(value))


class ArticleFeed(Feed):
    """The latest published articles, newest first. Subclasses choose which
    articles (`articles`) and name the feed; the format is the feed_type."""

    feed_type = ArticleRssFeed
    item_guid_is_permalink = False

    def __init__(self, feed_type: type[SyndicationFeed] | None = None) -> None:
        if feed_type is not None:
            self.feed_type = feed_type

    def author_name(self) -> str:
        return settings.SITE_NAME

    # The page cache (core.pagecache) gives feeds their ETag, Last-Modified and
    # 304s, and moves them on every change, a scheduled article falling due
    # included: a conditional request costs no query at all.
    @method_decorator(require_safe)
    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return super().__call__(request, *args, **kwargs)

    def articles(self, obj) -> ArticleQuerySet:
        """The articles this feed is about, whatever their status."""
        return Article.objects.all()

    def items(self, obj) -> ArticleQuerySet:
        return (
            self.articles(obj)
            .published()
            .for_listing()
            .prefetch_related(
                Prefetch("films", queryset=Film.objects.only("title", "year")),
                Prefetch("people", queryset=Person.objects.only("name")),
            )
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def subtitle(self, obj) -> str:
        return self._get_dynamic_attr("description", obj)

    def item_title(self, item: Article) -> str:
        # Plain text: the generators escape it once (Django's default escapes
        # it a second time, so readers would show "&amp;": ticket #6533).
        return clean_text(item.headline)

    def item_description(self, item: Article) -> str | None:
        """The summary as HTML (RSS description, Atom summary type="html")."""
        summary = self.item_summary(item)
        # Element content: only &, < and > need escaping; quotes stay readable.
        return html.escape(summary, quote=False) if summary else None

    def item_summary(self, item: Article) -> str:
        """The standfirst, after "Review of Jung_E (2023), rated 3.5/5." for a
        review, so readers without the film: elements see it too."""
        parts = []
        if item.reviewed_film:
            rated = (
                f", rated {format_rating(item.rating)}/{RATING_SCALE}"
                if item.rating is not None
                else ""
            )
            parts.append(f"Review of {item.reviewed_film}{rated}.")
        if item.standfirst:
            parts.append(item.standfirst)
        return clean_text(" ".join(parts))

    def item_guid(self, item: Article) -> str:
        # Never the slug, headline or date: an edited article is not a new item.
        return f"urn:uuid:{item.uid}"

    # Whole seconds: RSS dates have no fractions, and all formats agree.
    def item_pubdate(self, item: Article) -> datetime.datetime:
        return item.published_at.replace(microsecond=0)

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.last_changed.replace(microsecond=0)

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        """The lead image, as a JPEG rendition about 1024 pixels wide: readers
        show it beside the item."""
        still = item.lead_image
        if still is None or not still.is_ready:
            return []
        url, _width, _height, size = still.jpeg_rendition(1024)
        return [Enclosure(url, str(size or 0), "image/jpeg")]

    def item_categories(self, item: Article) -> list[str]:
        names = [
            item.section.name,
            *(str(film) for film in item.films.all()),
            *(person.name for person in item.people.all()),
        ]
        return list(dict.fromkeys(clean_text(name) for name in names))

    def item_extra_kwargs(self, item: Article) -> dict:
        review = None
        if item.reviewed_film:
            film = item.reviewed_film
            review = {
                "title": clean_text(film.title),
                "year": film.year,
                "rating": item.rating,
                "url": film.get_absolute_url(),
            }
        return {
            "summary": self.item_summary(item),
            "content_html": clean_text(item.body_html),
            "authors": [
                (clean_text(author.name), author.get_absolute_url())
                for author in item.author_list
            ],
            "review": review,
        }


class LatestFeed(ArticleFeed):
    def title(self, obj) -> str:
        return settings.SITE_NAME

    def link(self, obj) -> str:
        return reverse("home")

    def description(self, obj) -> str:
        return f"The latest news, reviews and features from {settings.SITE_NAME}."


class NewsFeed(ArticleFeed):
    def title(self, obj) -> str:
        return f"{settings.SITE_NAME}: news"

    def link(self, obj) -> str:
        return reverse("news:article-list")

    def description(self, obj) -> str:
        return f"The latest news and features from {settings.SITE_NAME}."

    def articles(self, obj) -> ArticleQuerySet:
        return Article.objects.news()


class ReviewFeed(ArticleFeed):
    def title(self, obj) -> str:
        return f"{settings.SITE_NAME}: reviews"

    def link(self, obj) -> str:
        return reverse("news:review-list")

    def description(self, obj) -> str:
        return f"The latest film reviews from {settings.SITE_NAME}."

    def articles(self, obj) -> ArticleQuerySet:
        return Article.objects.reviews()


class FilmFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Film:
        return get_object_or_404(Film, slug=slug)

    def title(self, obj: Film) -> str:
        return clean_text(f"{obj} in {settings.SITE_NAME}")

    def link(self, obj: Film) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Film) -> str:
        return clean_text(f"News and reviews about {obj} from {settings.SITE_NAME}.")

    def articles(self, obj: Film) -> ArticleQuerySet:
        return Article.objects.about_film(obj)


class PersonFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return get_object_or_404(Person, slug=slug)

    def title(self, obj: Person) -> str:
        return clean_text(f"{obj.name} in {settings.SITE_NAME}")

    def link(self, obj: Person) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Person) -> str:
        return clean_text(
            f"News and reviews about {obj.name} from {settings.SITE_NAME}."
        )

    def articles(self, obj: Person) -> ArticleQuerySet:
        return Article.objects.about_person(obj)


class SectionFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def title(self, obj: Section) -> str:
        return clean_text(f"{settings.SITE_NAME}: {obj.name}")

    def link(self, obj: Section) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Section) -> str:
        return clean_text(
            f"The latest articles in {obj.name} from {settings.SITE_NAME}."
        )

    def articles(self, obj: Section) -> ArticleQuerySet:
        return Article.objects.filter(section=obj)


class AuthorFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def title(self, obj: Author) -> str:
        return clean_text(f"{obj.name} in {settings.SITE_NAME}")

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Author) -> str:
        return clean_text(f"The latest articles by {obj.name} in {settings.SITE_NAME}.")

    def articles(self, obj: Author) -> ArticleQuerySet:
        return Article.objects.filter(authors=obj)


# The formats, as URL suffixes: RSS at the feed's address, the others below it.
FORMATS: list[tuple[str, str, type[SyndicationFeed]]] = [
    # (label, suffix of the URL and its name, generator)
    ("RSS", "", ArticleRssFeed),
    ("Atom", "atom", ArticleAtomFeed),
    ("JSON Feed", "json", JsonFeed),
]


def format_url_name(name: str, suffix: str) -> str:
    """The URL name of a feed in one format: `name` for RSS, `name`-atom…"""
    return f"{name}-{suffix}" if suffix else name


def feed_links(
    name: str, absolute: Callable[[str], str], **kwargs
) -> list[tuple[str, str]]:
    """(format label, absolute URL) for each format of the feed named `name`."""
    return [
        (
            label,
            absolute(reverse(format_url_name(f"news:{name}", suffix), kwargs=kwargs)),
        )
        for label, suffix, _generator in FORMATS
    ]
