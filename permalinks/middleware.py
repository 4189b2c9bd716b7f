from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse

from .models import OldSlug
from .registry import ROUTES


class OldSlugRedirectMiddleware:
    """Answers a 404 at an address with an old slug by a 301 to the new address.

    Only pages that were not found pay for the lookup (one query).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        return self.redirect_for(request) or response

    def redirect_for(self, request):
        match = getattr(request, "resolver_match", None)
        if match is None:  # no URL pattern matched: nothing was ever here
            return None
        route = ROUTES.get(match.view_name)
        slug = match.kwargs.get("slug")
        if route is None or not slug:
            return None
        old = OldSlug.objects.filter(
            content_type=ContentType.objects.get_for_model(route.model), slug=slug
        ).values("object_id")
        target = route.objects().filter(pk__in=old).first()
        if target is None:
            return None
        if route.canonical:
            url = target.get_absolute_url()
        else:
            try:
                url = reverse(
                    match.view_name,
                    args=match.args,
                    kwargs={**match.kwargs, "slug": target.slug},
                )
            except NoReverseMatch:
                return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
