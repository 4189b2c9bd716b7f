"""JSON-LD for the page types: plain dictionaries built from the models.

Each builder takes ``absolute``, a function that turns a site path into an
absolute URL for the current request. The dictionaries are turned into a
``<script type="application/ld+json">`` by ``seo.templatetags.seo.jsonld``,
which escapes them so that no title can close the script element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse

CONTEXT = "https://schema.org"
# The width a link preview wants its picture at, and the widths JSON-LD
# offers (largest first; a small picture may have fewer).
PREVIEW_WIDTH = 1200
IMAGE_WIDTHS = (PREVIEW_WIDTH, 640, 320)

Absolute = Callable[[str], str]


def image_urls(picture, absolute: Absolute) -> list[str]:
    """The picture at a few sizes, largest first (search engines pick one)."""
    if not picture or not picture.is_ready:
        return []
    urls = [absolute(picture.rendition_for(width)[0]) for width in IMAGE_WIDTHS]
    return list(dict.fromkeys(urls))


def publisher(absolute: Absolute) -> dict:
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute(reverse("home")),
    }


def person_reference(person, absolute: Absolute) -> dict:
    """A person or an author, by name and page."""
    return {
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }


def breadcrumb_list(crumbs: Iterable[tuple[str, str]], absolute: Absolute) -> dict:
    """The visible breadcrumbs, Home first, as a BreadcrumbList."""
    trail = [("Home", reverse("home")), *crumbs]
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(name),
                "item": absolute(url),
            }
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(absolute: Absolute) -> dict:
    """The site, with the search box search engines may offer for it."""
    search = absolute(reverse("search:search"))
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": absolute(reverse("home")),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{search}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def without_empty(data: dict) -> dict:
    """Drop properties with no value: an empty property is noise, not data."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}
