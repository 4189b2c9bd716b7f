"""Feeds of the published articles: the whole site, news, reviews, and each film,
person, section and author, in RSS 2.0, Atom 1.0 and JSON Feed 1.1.

One Feed class per "which articles", built on Django's syndication framework;
the format is the feed generator it is given (see `feed_urls` in urls.py).
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc3339_date,
)
from django.views.decorators.http import condition, require_safe

from catalog.models import Film, Person
from seo.structured_data import SITE_NAME

from .models import Article, ArticleQuerySet, Author, Section
from .rendering import sanitise_html, strip_control_characters

FEED_LENGTH = 30

CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
# Names the review elements (<film:title>, <film:year>, <film:rating>). It is an
# identifier, not an address: it must never change, whatever host serves the site.
FILM_NAMESPACE = "https://filmsite.example/ns/film/1.0"
RATING_SCALE = 5
# Part of every ETag: bump it when the feeds' output changes, so that readers
# holding a validator from before the deploy get the new markup.
FEED_OUTPUT_VERSION = "2"


def absolute_url(url: str, base: str) -> str:
    """A link from an article body, made absolute against the article's address.
    Protocol-relative links ("//host/x") get https rather than the base's scheme."""
    if url.startswith("//"):
        return f"https:{url}"
    return urljoin(base, url)


def absolute_links(body_html: str, base: str) -> str:
    """The sanitised body with every relative href and src made absolute, as feed
    readers need (they show the content away from the site). It goes through the
    same allowlist as the stored body, so nothing else changes."""
    return sanitise_html(body_html, url_relative=lambda url: absolute_url(url, base))


def clean_text(value: object) -> str:
    """Text as the XML writer can take it: Django's feed generators raise (a 500)
    on control characters, and old rows or catalog fields may still hold some."""
    return strip_control_characters(str(value))


def format_rating(rating) -> str:
    """Decimal("3.5") -> "3.5", Decimal("4.0") -> "4"."""
    return format(rating.normalize(), "f")


# Feed generators: how an article item is written in each format.


class _ArticleItems:
    """What every format adds to Django's item: the body as content, each author,
    and for reviews the film and rating. Relative URLs are resolved against the
    item's own (absolute) link."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The feed's own address identifies it (Atom's feed id); the page it is
        # about may one day have other feeds.
        self.feed["id"] = self.feed["feed_url"]

    def add_item(
        self,
        title,
        link,
        description,
        *,
        summary: str = "",
        content_html: str = "",
        authors: Iterable[tuple[str, str]] = (),
        review: dict | None = None,
        **kwargs,
    ) -> None:
        if review is not None:
            review = {**review, "url": urljoin(link, review["url"])}
        kwargs["enclosures"] = [
            Enclosure(absolute_url(e.url, link), e.length, e.mime_type)
            for e in kwargs.get("enclosures") or []
        ]
        super().add_item(
            title,
            link,
            description,
            summary=summary,
            content_html=absolute_links(content_html, link) if content_html else "",
            authors=[(name, urljoin(link, url)) for name, url in authors],
            review=review,
            **kwargs,
        )


class ArticleRssFeed(_ArticleItems, Rss201rev2Feed):
    """RSS 2.0 with content:encoded, a dc:creator per author and the review."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NAMESPACE,
            "xmlns:dc": DC_NAMESPACE,
            "xmlns:film": FILM_NAMESPACE,
        }

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])
        if item["review"]:
            _add_review_elements(handler, item["review"])


class ArticleAtomFeed(_ArticleItems, Atom1Feed):
    """Atom 1.0 with the body as content, an author per author and the review."""

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:film": FILM_NAMESPACE}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item["review"]:
            _add_review_elements(handler, item["review"])


def _add_review_elements(handler, review: dict) -> None:
    handler.addQuickElement("film:title", review["title"])
    if review["year"]:
        handler.addQuickElement("film:year", str(review["year"]))
    handler.addQuickElement("film:link", review["url"])
    if review["rating"] is not None:
        handler.addQuickElement(
            "film:rating", format_rating(review["rating"]), {"best": str(RATING_SCALE)}
        )


class JsonFeed(_ArticleItems, SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); the review goes in a
    `_filmsite` extension object."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding) -> None:
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "authors": [{"name": self.feed["author_name"]}],
            "items": [self.item_json(item) for item in self.items],
        }
        outfile.write(json.dumps(feed, ensure_ascii=False, indent=1))

    def item_json(self, item: dict) -> dict:
        entry = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
            "date_published": rfc3339_date(item["pubdate"]),
            "date_modified": rfc3339_date(item["updateddate"]),
            "authors": [{"name": name, "url": url} for name, url in item["authors"]],
            "tags": list(item["categories"]),
        }
        if item["summary"]:
            entry["summary"] = item["summary"]
        if item["enclosures"]:
            entry["image"] = item["enclosures"][0].url
        if item["review"]:
            review = item["review"]
            entry["_filmsite"] = {
                "reviewed_film": {
                    "title": review["title"],
                    "year": review["year"],
                    "url": review["url"],
                },
                "rating": (
                    float(review["rating"]) if review["rating"] is not None else None
                ),
                "best_rating": RATING_SCALE,
            }
        return entry


# Feeds: which articles, and what the feed is called.


class ArticleFeed(Feed):
    """The latest published articles, newest first. Subclasses choose which
    articles (`articles`) and name the feed; the format is the feed_type."""

    feed_type = ArticleRssFeed
    author_name = SITE_NAME
    item_guid_is_permalink = False

    def __init__(self, feed_type: type[SyndicationFeed] | None = None) -> None:
        if feed_type is not None:
            self.feed_type = feed_type

    @method_decorator(require_safe)
    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        obj = self.get_object(request, *args, **kwargs)
        etag, last_modified = self.validators(obj)

        # Computed once, before the feed is built: a reader that already has
        # this state gets 304 for the price of one aggregate query.
        @condition(
            etag_func=lambda request: etag,
            last_modified_func=lambda request: last_modified,
        )
        def respond(request: HttpRequest) -> HttpResponse:
            feed = self.get_feed(obj, request)
            response = HttpResponse(content_type=feed.content_type)
            feed.write(response, "utf-8")
            return response

        response = respond(request)
        # Caches may keep the feed but must ask each time (a cheap 304), so a
        # newly published article shows up on the next request.
        patch_cache_control(response, no_cache=True)
        return response

    def articles(self, obj) -> ArticleQuerySet:
        """The articles this feed is about, whatever their status."""
        return Article.objects.all()

    def validators(self, obj) -> tuple[str, datetime.datetime | None]:
        """The ETag and Last-Modified time of the feed, from one aggregate.

        Visibility is decided now, so a scheduled article falling due changes
        both. The latest edit counts drafts and unpublished articles too: the
        time must move forward when an article leaves the feed, or a reader
        asking only If-Modified-Since would keep it."""
        visible = Q(pk__in=Article.objects.published().values("pk"))
        state = self.articles(obj).aggregate(
            count=Count("pk", filter=visible),
            published=Max("published_at", filter=visible),
            edited=Max("updated"),
        )
        fingerprint = "\n".join(
            str(part)
            for part in (
                FEED_OUTPUT_VERSION,
                self.feed_type.__name__,
                self._get_dynamic_attr("title", obj),
                self._get_dynamic_attr("description", obj),
                state["count"],
                state["published"],
                state["edited"],
            )
        )
        etag = f'"{hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}"'
        times = [time for time in (state["published"], state["edited"]) if time]
        return etag, max(times, default=None)

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
        if still is None or not still.renditions:
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
        return SITE_NAME

    def link(self, obj) -> str:
        return reverse("home")

    def description(self, obj) -> str:
        return f"The latest news, reviews and features from {SITE_NAME}."


class NewsFeed(ArticleFeed):
    def articles(self, obj) -> ArticleQuerySet:
        return Article.objects.news()

    def title(self, obj) -> str:
        return f"{SITE_NAME}: news"

    def link(self, obj) -> str:
        return reverse("news:article-list")

    def description(self, obj) -> str:
        return f"The latest news and features from {SITE_NAME}."


class ReviewFeed(ArticleFeed):
    def articles(self, obj) -> ArticleQuerySet:
        return Article.objects.reviews()

    def title(self, obj) -> str:
        return f"{SITE_NAME}: reviews"

    def link(self, obj) -> str:
        return reverse("news:review-list")

    def description(self, obj) -> str:
        return f"The latest film reviews from {SITE_NAME}."


class FilmFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Film:
        return get_object_or_404(Film, slug=slug)

    def articles(self, obj: Film) -> ArticleQuerySet:
        return Article.objects.about_film(obj)

    def title(self, obj: Film) -> str:
        return clean_text(f"{obj} in {SITE_NAME}")

    def link(self, obj: Film) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Film) -> str:
        return clean_text(f"News and reviews about {obj} from {SITE_NAME}.")


class PersonFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return get_object_or_404(Person, slug=slug)

    def articles(self, obj: Person) -> ArticleQuerySet:
        return Article.objects.about_person(obj)

    def title(self, obj: Person) -> str:
        return clean_text(f"{obj.name} in {SITE_NAME}")

    def link(self, obj: Person) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Person) -> str:
        return clean_text(f"News and reviews about {obj.name} from {SITE_NAME}.")


class SectionFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def articles(self, obj: Section) -> ArticleQuerySet:
        return Article.objects.filter(section=obj)

    def title(self, obj: Section) -> str:
        return clean_text(f"{SITE_NAME}: {obj.name}")

    def link(self, obj: Section) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Section) -> str:
        return clean_text(f"The latest articles in {obj.name} from {SITE_NAME}.")


class AuthorFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def articles(self, obj: Author) -> ArticleQuerySet:
        return Article.objects.filter(authors=obj)

    def title(self, obj: Author) -> str:
        return clean_text(f"{obj.name} in {SITE_NAME}")

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Author) -> str:
        return clean_text(f"The latest articles by {obj.name} in {SITE_NAME}.")


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
