"""The page cache: anonymous GET and HEAD requests for public pages, feeds and
sitemaps, answered from the shared cache while the content generation they were
rendered under is current (see core.generation).

A view opts in with `public_page`; nothing else is ever stored: not the admin,
previews, redirects, errors, a response that sets a cookie or says it is
private, nor any request carrying a session (staff) or a pending message.

Every response of a public page, from the cache or not, carries a strong
`ETag` (one per encoding: the compressed bodies are made once, when the page
is stored), `Last-Modified` (the last change to the content), `Vary:
Accept-Encoding` and a `Cache-Control` that lets browsers revalidate and a CDN
hold the page briefly; a matching `If-None-Match` or `If-Modified-Since` gets a
304. A cache hit runs no view, no database query and no template.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.views.decorators.http import require_safe

from . import generation

try:
    import brotli
except ImportError:  # optional: gzip alone is enough for every client
    brotli = None

# Headers the cache sets itself on every answer, or never stores.
OWN_HEADERS = frozenset(
    {
        "content-length",
        "content-encoding",
        "etag",
        "last-modified",
        "cache-control",
        "expires",
        "vary",
        "set-cookie",
    }
)
COMPRESSIBLE = ("text/", "application/xml", "application/json", "application/atom")
COMPRESS_MIN_BYTES = 256


def public_page(view):
    """A page that only reads: it answers GET and HEAD (405 to POST, PUT,
    DELETE, TRACE and the rest), and its 200 responses are the same for every
    anonymous reader, so they may be stored in the page cache."""

    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    return wrapper


@functools.cache
def release() -> str:
    """A digest of the code and templates that render pages, so a deploy
    never serves pages cached by the code it replaced."""
    root = Path(settings.BASE_DIR)
    skip = {"node_modules", "media", "staticfiles", "tests", "var", "__pycache__"}
    digest = hashlib.blake2b(digest_size=8)
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if f not in skip and f[0] != ".")
        for name in sorted(files):
            if name.endswith((".py", ".html", ".xml", ".txt")):
                path = Path(folder, name)
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or root, "staticfiles.json")
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def cacheable_request(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def page_key(request) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"page:{release()}:{digest}"


def storable(response) -> bool:
    return (
        getattr(response, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cache_control() -> str:
    shared = settings.PAGE_CACHE_SHARED_MAX_AGE
    stale = settings.PAGE_CACHE_STALE_WHILE_REVALIDATE
    value = "public, max-age=0"
    if shared:
        value += f", s-maxage={shared}"
        if stale:
            value += f", stale-while-revalidate={stale}"
    return value


def accepted_encodings(request) -> set[str]:
    accepted = set()
    for item in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = item.partition(";")
        quality = params.strip().removeprefix("q=").strip()
        if quality and quality.replace(".", "").strip("0") == "":
            continue  # q=0: refused
        accepted.add(name.strip().lower())
    return accepted


class Page:
    """A stored page: its body in each encoding and the headers to send."""

    __slots__ = ("token", "headers", "digest", "modified", "exact", "bodies")

    def __init__(self, token, headers, digest, modified, exact, bodies):
        self.token = token
        self.headers = headers
        self.digest = digest
        self.modified = modified  # Last-Modified, whole seconds, or None
        self.exact = exact  # no other content had that Last-Modified
        # {"identity": bytes} for what is not compressed; for what is, only
        # {"gzip": bytes, "br": bytes}: browsers take those, and the rare
        # client that takes neither gets the gzip body decompressed. Stored
        # smaller, and quicker to load from a cache that compresses again.
        self.bodies = bodies

    @classmethod
    def of(cls, response, current: generation.Generation | None) -> Page:
        body = response.content
        headers = tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in OWN_HEADERS
        )
        bodies = {"identity": body}
        if len(body) >= COMPRESS_MIN_BYTES and response.get(
            "Content-Type", ""
        ).startswith(COMPRESSIBLE):
            bodies = {"gzip": gzip.compress(body, compresslevel=6, mtime=0)}
            if brotli is not None:
                bodies["br"] = brotli.compress(body, quality=5)
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        if current is None:
            return cls(None, headers, digest, None, False, bodies)
        exact = not current.shares_second
        return cls(current.token, headers, digest, current.last_modified, exact, bodies)

    # Pickled as a plain tuple: quicker to load, and independent of the class.
    def __reduce__(self):
        fields = (self.token, self.headers, self.digest, self.modified, self.exact)
        return (Page, (*fields, self.bodies))

    def etag(self, encoding: str) -> str:
        suffix = "" if encoding == "identity" else f"-{encoding}"
        return f'"{self.digest}{suffix}"'

    @property
    def compressed(self) -> bool:
        return "identity" not in self.bodies

    def body(self, encoding: str) -> bytes:
        if encoding == "identity" and self.compressed:
            return gzip.decompress(self.bodies["gzip"])
        return self.bodies[encoding]

    def encoding_for(self, request) -> str:
        if not self.compressed:
            return "identity"
        accepted = accepted_encodings(request)
        for encoding in ("br", "gzip"):
            if encoding in self.bodies and encoding in accepted:
                return encoding
        return "identity"

    def not_modified(self, request) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = parse_etags(if_none_match)
            if "*" in tags:
                return True
            # Any encoding's tag names the same content.
            return any(
                tag.removeprefix("W/").strip('"').split("-")[0] == self.digest
                for tag in tags
            )
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        if not since or not self.modified:
            return False
        return since > self.modified or (since == self.modified and self.exact)

    def respond(self, request) -> HttpResponse:
        encoding = self.encoding_for(request)
        if self.not_modified(request):
            response = HttpResponseNotModified()
        else:
            body = self.body(encoding)
            response = HttpResponse(body if request.method != "HEAD" else b"")
            for name, value in self.headers:
                response[name] = value
            response["Content-Length"] = str(len(body))
            if encoding != "identity":
                response["Content-Encoding"] = encoding
        response["ETag"] = self.etag(encoding)
        if self.modified:
            response["Last-Modified"] = http_date(self.modified)
        response["Cache-Control"] = cache_control()
        if self.compressed:
            patch_vary_headers(response, ["Accept-Encoding"])
        return response


class PageCacheMiddleware:
    """Serve public pages from the page cache; store them on the way out.

    Placed after SecurityMiddleware (its HTTPS redirect and headers apply to
    cached pages too) and WhiteNoise, and before everything that reads the
    session or the database, so that a hit costs one round trip to the cache.
    """

    def __init__(self, get_response):
        if not settings.PAGE_CACHE_ENABLED:
            raise MiddlewareNotUsed("DJANGO_PAGE_CACHE is off")
        self.get_response = get_response
        self.pages = generation.store(settings.PAGE_CACHE_ALIAS)
        self.one_trip = (
            settings.PAGE_CACHE_ALIAS == settings.PAGE_CACHE_GENERATION_ALIAS
        )

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        found = self.lookup(key)
        current = None if found is None else generation.current(found)
        page = found.get(key) if found else None
        if page is not None and current is not None and page.token == current.token:
            return page.respond(request)
        reset = generation.in_force.set(current)
        try:
            response = self.get_response(request)
        finally:
            generation.in_force.reset(reset)
        if not storable(response):
            return response
        page = Page.of(response, current)
        if current is not None:
            self.pages.call("set", key, page, settings.PAGE_CACHE_SECONDS)
        return page.respond(request)

    def lookup(self, key: str) -> dict | None:
        keys = [generation.TOKEN_KEY, generation.DUES_KEY]
        if self.one_trip:
            return self.pages.call("get_many", [*keys, key])
        found = generation.store().call("get_many", keys)
        if found is None:
            return None
        page = self.pages.call("get", key)
        if page is not None:
            found[key] = page
        return found
