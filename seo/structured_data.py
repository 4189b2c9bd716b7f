"""JSON-LD for the page types: plain dictionaries built from the models.

Each builder takes ``absolute``, a function that turns a site path into an
absolute URL for the current request. The dictionaries are turned into a
``<script type="application/ld+json">`` by ``seo.templatetags.seo.jsonld``,
which escapes them so that no title can close the script element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse

SITE_NAME = "Filmsite"
CONTEXT = "https://schema.org"
# The widths a link preview or a search result wants its picture at.
PREVIEW_WIDTH = 1200

Absolute = Callable[[str], str]


def image_urls(picture, absolute: Absolute) -> list[str]:
    """The picture at a few sizes, largest first (search engines pick one)."""
    if not picture or not getattr(picture, "renditions", None):
        return []
    widths = sorted({PREVIEW_WIDTH, 640, 320}, reverse=True)
    urls = [absolute(picture.rendition_for(width)[0]) for width in widths]
    return list(dict.fromkeys(urls))


def image_object(picture, absolute: Absolute) -> dict | None:
    if not picture or not getattr(picture, "renditions", None):
        return None
    url, width, height = picture.rendition_for(PREVIEW_WIDTH)
    image = {
        "@type": "ImageObject",
        "url": absolute(url),
        "width": width,
        "height": height,
    }
    if getattr(picture, "caption", ""):
        image["caption"] = picture.caption
    if picture.credit:
        image["creditText"] = picture.credit
    return image


def publisher(absolute: Absolute) -> dict:
    return {
        "@type": "Organization",
        "name": SITE_NAME,
        "url": absolute(reverse("home")),
    }


def person_reference(name: str, url: str, absolute: Absolute) -> dict:
    return {"@type": "Person", "name": name, "url": absolute(url)}


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
        "name": SITE_NAME,
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
