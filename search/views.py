from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import engine
from .text import clean_query

ARTICLES_PER_PAGE = 10


def _query(request) -> str:
    # getlist()[-1]: a repeated parameter is not an error, the last one wins.
    values = request.GET.getlist("q")
    return clean_query(values[-1]) if values else ""


@require_safe
def search(request):
    query = _query(request)
    catalog = engine.search_catalog(query)
    paginator = Paginator(engine.matching_articles(query, catalog), ARTICLES_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404("No such page of results.") from error
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "catalog": catalog,
            "page_obj": page,
            "article_list": page.object_list,
            "breadcrumbs": [("Search", reverse("search:search"))],
        },
    )


@require_safe
@cache_control(max_age=60, public=True)
def suggestions(request):
    """Films and people for the search box, best first, as JSON."""
    query = _query(request)
    results = []
    for match in engine.suggest(query):
        if match.kind == "film":
            name, url = str(match.film), match.film.get_absolute_url()
        else:
            name, url = match.person.name, match.person.get_absolute_url()
        results.append(
            {"kind": match.kind, "name": name, "matched": match.matched, "url": url}
        )
    return JsonResponse({"query": query, "results": results})


@require_safe
@cache_control(max_age=86400, public=True)
def opensearch(request):
    return render(
        request,
        "search/opensearch.xml",
        {
            "search_url": request.build_absolute_uri(reverse("search:search")),
            "icon_url": request.build_absolute_uri(static("favicon.svg")),
        },
        content_type="application/opensearchdescription+xml",
    )
