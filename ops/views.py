import json
import logging
import sys
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core.logins import client_ip_address
from news.limits import MAX_BODY_LENGTH

from . import health
from .logging import request_id

csp_logger = logging.getLogger("ops.csp")

# Crawlers stay out of the staff site and the preview links, and out of
# search results, which are endless and duplicate the pages they point to.
DISALLOWED = ["/admin/", "/search/", "/preview/"]

# How long visitors are asked to wait while the database is unreachable.
RETRY_AFTER_SECONDS = 30

# A violation report is a few hundred bytes; a page breaking its policy in
# many places sends a few a second. Anything beyond is refused unread.
CSP_REPORT_MAX_BYTES = 8 * 1024
CSP_REPORTS_PER_MINUTE = 30
CSP_REPORT_FIELD_LENGTH = 300


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    for name in ("sitemap-index", "sitemap-news"):
        lines.append(f"Sitemap: {request.build_absolute_uri(reverse(name))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def server_error(request):
    """The 500 page, with nothing but the site's name and the request's id
    (for the reader to quote): whatever failed (the database, a template tag)
    must not fail again while apologising. A database that cannot be reached
    gets the 503 page instead, since trying again later will work."""
    context = {
        "site_name": settings.SITE_NAME,
        "request_id": getattr(request, "request_id", None) or request_id.get(),
    }
    if health.database_unavailable(sys.exception()):
        template = loader.get_template("503.html")
        response = HttpResponse(template.render(context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(context))


def bad_request(request, exception):
    """The 400 page, or for a post too large to read (RequestDataTooBig) a 413
    page saying so: the form was never read, so nothing of it can be shown
    again, and the editor should know to go back rather than retry."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    template = loader.get_template("413.html")
    context = {
        "max_body_length": MAX_BODY_LENGTH,
        "max_megabytes": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 10**6:.1f}",
    }
    return HttpResponse(template.render(context, request), status=413)


def csrf_failure(request, reason=""):
    """The page for a form refused by the CSRF check (CSRF_FAILURE_VIEW), in
    the site's style: Django's own carries an inline style the CSP blocks."""
    template = loader.get_template("403_csrf.html")
    return HttpResponse(template.render({}, request), status=403)


@csrf_exempt
@require_POST
def csp_report(request):
    """Log the CSP violations browsers report (report-uri and report-to).

    Anyone can post here, so it is cheap to refuse: bodies over 8 KB get 413
    unread, and each client address may send CSP_REPORTS_PER_MINUTE a minute
    (counted in the cache), then 429.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    if not _allow_report(client_ip_address(request) or ""):
        return HttpResponse(status=429)
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    if len(body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        reports = _violations(json.loads(body))
    except (ValueError, TypeError, KeyError, AttributeError):
        return HttpResponse(status=400)
    for report in reports[:10]:
        csp_logger.warning(
            "CSP violation: %s blocked %s on %s",
            report["directive"],
            report["blocked"],
            report["document"],
            extra={"csp": report},
        )
    return HttpResponse(status=204)


def _allow_report(address: str) -> bool:
    key = f"csp-report:{address}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        count = 1
    # A cache that is down (the default alias ignores errors) limits nothing.
    return count is None or count <= CSP_REPORTS_PER_MINUTE


def _violations(data) -> list[dict]:
    """The reports in a body, from either format: report-uri's
    {"csp-report": {...}} or the Reporting API's [{"type": "csp-violation",
    "body": {...}}], with the fields that say what happened, cut short."""
    if isinstance(data, dict):
        bodies = [data["csp-report"]]
    else:
        bodies = [item["body"] for item in data if item.get("type") == "csp-violation"]
    return [
        {
            "document": _field(body, "documentURL", "document-uri"),
            "directive": _field(
                body, "effectiveDirective", "effective-directive", "violated-directive"
            ),
            "blocked": _field(body, "blockedURL", "blocked-uri") or "(inline)",
            "source": _field(body, "sourceFile", "source-file"),
            "line": _field(body, "lineNumber", "line-number"),
            "sample": _field(body, "sample", "script-sample"),
        }
        for body in bodies
    ]


def _field(body: dict, *names: str) -> str:
    for name in names:
        if body.get(name) not in (None, ""):
            return str(body[name])[:CSP_REPORT_FIELD_LENGTH]
    return ""
