import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.utils.functional import empty

from . import health
from .logging import request_id

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
PROBE_PATHS = frozenset({HEALTH_PATH, READY_PATH})

# What a proxy's request id may look like: a UUID, a hex or base64 string, a
# trace id. Anything else (too long, spaces, control characters) is replaced.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=/@-]{1,128}")

access_logger = logging.getLogger("ops.request")


class RequestLogMiddleware:
    """Give each request an id and log one line when it is answered.

    First in the chain, so that it times and names everything, page cache
    hits and static files included; it costs a clock read and a random id per
    request, and builds the line only when the logger would emit it. The id
    is the proxy's X-Request-ID when DJANGO_BEHIND_PROXY says a proxy sets it
    (a client could send any), otherwise a new one; the response carries it
    back, and the 500 page shows it for the reader to quote.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trust_header = settings.BEHIND_PROXY

    def __call__(self, request):
        started = time.perf_counter()
        given = request.META.get("HTTP_X_REQUEST_ID", "") if self.trust_header else ""
        rid = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        # Cleared on request_finished (ops.logging.forget_request_id).
        request_id.set(rid)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        quiet_probe = request.path in PROBE_PATHS and response.status_code == 200
        if not quiet_probe and access_logger.isEnabledFor(logging.INFO):
            self.log(request, response, started)
        return response

    def log(self, request, response, started) -> None:
        duration = round((time.perf_counter() - started) * 1000, 1)
        size = response.get("Content-Length")
        if size is not None:
            size = int(size)
        elif not response.streaming:
            size = len(response.content)
        user = user_label(request)
        access_logger.info(
            "%s %s %s %sms %sB user=%s",
            request.method,
            request.path,
            response.status_code,
            duration,
            "-" if size is None else size,
            user,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration,
                "user": user,
                "bytes": size,
            },
        )


def user_label(request) -> str:
    """The id of the request's user, or "anonymous", without a query when the
    request has no session (every page cache hit) or already loaded its user."""
    user = request.__dict__.get("user")
    if user is not None and getattr(user, "_wrapped", user) is not empty:
        return str(user.pk) if user.is_authenticated else "anonymous"
    session = request.__dict__.get("session")
    if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return "anonymous"
    try:
        return str(session.get(SESSION_KEY) or "anonymous")
    except DatabaseError:
        return "unknown"


class HealthCheckMiddleware:
    """Answer the probes first, before host checks, the HTTPS redirect and the
    page cache.

    Load balancers probe by IP address, which ALLOWED_HOSTS rightly refuses,
    and over plain HTTP. `/healthz` is liveness: the process answers, and it
    never touches the database, so a busy database does not get the server
    restarted. `/readyz` is readiness: the database, the caches, the media
    storage and the task queue all work (ops.health), or 503 naming the check
    that failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in PROBE_PATHS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path == HEALTH_PATH:
            response = HttpResponse("ok\n", content_type="text/plain")
        else:
            ready, summary = health.readiness()
            response = JsonResponse(summary, status=200 if ready else 503)
        if request.method == "HEAD":
            response.content = b""
        response["Cache-Control"] = "no-store"
        return response


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not send: the features the
    site never uses, denied (Permissions-Policy); who may load its responses
    (Cross-Origin-Resource-Policy: pages for this origin only, static and
    media files for the whole site, e.g. a media host on a subdomain); and
    where browsers send reports of CSP violations (Reporting-Endpoints, named
    by the policy's report-to)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = settings.PERMISSIONS_POLICY
        self.shared_prefixes = tuple(
            prefix
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
            if prefix.startswith("/") and not prefix.startswith("//")
        )
        self.reporting_endpoints = ", ".join(
            f'{name}="{url}"' for name, url in settings.REPORTING_ENDPOINTS.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        headers = response.headers
        headers.setdefault("Permissions-Policy", self.permissions_policy)
        shared = request.path.startswith(self.shared_prefixes)
        headers.setdefault(
            "Cross-Origin-Resource-Policy", "same-site" if shared else "same-origin"
        )
        if self.reporting_endpoints and "Content-Security-Policy" in headers:
            headers.setdefault("Reporting-Endpoints", self.reporting_endpoints)
        return response


class HeadResponseMiddleware:
    """Send HEAD responses without their body, as HTTP requires.

    Django leaves that to the server, and gunicorn drops the body with a
    warning in the log for every HEAD request (monitors send many). Placed
    before CommonMiddleware, so Content-Length still gives the GET length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response
