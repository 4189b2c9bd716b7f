"""The addresses of pages, without resolving each from scratch.

A film page links to dozens of people, a list to dozens of films, and
``reverse()`` costs about as much as rendering a line of the page: it matches
the arguments against every pattern of the URL name each time. The route
around the slug is the same for every slug, so it is reversed once per URLconf
and script prefix (Django's own resolver cache is the key: it is replaced when
the URLconf changes) and the slug is put in its place; the address of a page
without arguments is simply kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

# What the <slug:...> converter accepts. Anything else goes through reverse(),
# which refuses it as usual; these characters are never quoted in a URL.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# A slug no real page has, reversed to find where slugs go in the route.
MARK = "0slug0"


def fixed_url(view_name: str) -> str:
    """``reverse(view_name)``, for a URL pattern without arguments."""
    return _fixed(get_resolver(get_urlconf()), get_script_prefix(), view_name)


def slug_url(view_name: str, slug: str) -> str:
    """``reverse(view_name, kwargs={"slug": slug})``, for a URL pattern whose
    only argument is a ``<slug:slug>``."""
    route = None
    if SLUG.fullmatch(slug):
        route = _route(get_resolver(get_urlconf()), get_script_prefix(), view_name)
    if route is None:
        return django_reverse(view_name, kwargs={"slug": slug})
    head, tail = route
    return head + slug + tail


@lru_cache(maxsize=64)
def _fixed(resolver: URLResolver, prefix: str, view_name: str) -> str:
    return django_reverse(view_name, urlconf=resolver.urlconf_name)


@lru_cache(maxsize=64)
def _route(
    resolver: URLResolver, prefix: str, view_name: str
) -> tuple[str, str] | None:
    """The URL before and after the slug, or None if the slug is not simply
    put in (a converter that changes it, or one that repeats it)."""
    url = django_reverse(
        view_name, urlconf=resolver.urlconf_name, kwargs={"slug": MARK}
    )
    head, _mark, tail = url.partition(MARK)
    if not _mark or MARK in tail:
        return None
    return head, tail
