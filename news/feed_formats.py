"""The SyndicationFeed writers for the article feeds: RSS 2.0 with the film
namespace, Atom 1.0 and JSON Feed 1.1.

Each is a Django feed generator, given to a feed in news/feeds.py as its
feed_type. Besides Django's item fields they take `summary`, `content_html` (the
body), `authors` ((name, URL) pairs) and `review` (the reviewed film's title,
year, URL and the rating, or None), and resolve relative URLs against the item's
own absolute link, since readers show the content away from the site.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import urljoin

from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc3339_date,
)

from .rendering import sanitise_html

CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
# Names the review elements (<film:title>, <film:year>, <film:rating>). It is an
# identifier, not an address: it must never change, whatever host serves the site.
FILM_NAMESPACE = "https://filmsite.example/ns/film/1.0"
RATING_SCALE = 5


def format_rating(rating: Decimal) -> str:
    """Decimal("3.5") -> "3.5", Decimal("4.0") -> "4"."""
    return format(rating.normalize(), "f")


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


def _add_review_elements(handler, review: dict) -> None:
    """The film: elements of a review item, shared by RSS and Atom."""
    handler.addQuickElement("film:title", review["title"])
    if review["year"]:
        handler.addQuickElement("film:year", str(review["year"]))
    handler.addQuickElement("film:link", review["url"])
    if review["rating"] is not None:
        handler.addQuickElement(
            "film:rating", format_rating(review["rating"]), {"best": str(RATING_SCALE)}
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
