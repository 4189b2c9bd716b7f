from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from news.limits import MAX_BODY_LENGTH

# Crawlers stay out of the staff site and the preview links, and out of
# search results, which are endless and duplicate the pages they point to.
DISALLOWED = ["/admin/", "/search/", "/preview/"]


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    for name in ("sitemap-index", "sitemap-news"):
        lines.append(f"Sitemap: {request.build_absolute_uri(reverse(name))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def server_error(request):
    """The 500 page, with nothing but the site's name: whatever failed (the
    database, a template tag) must not fail again while apologising."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"site_name": settings.SITE_NAME}))


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
