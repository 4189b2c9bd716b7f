from decimal import Decimal

from django import template

from catalog.models import Film, Person
from news.models import Article

register = template.Library()

COVERAGE_LIMIT = 10


@register.simple_tag
def coverage_of(subject: Film | Person) -> dict[str, list[Article]]:
    """The latest published news and reviews about a film or a person, for
    its catalog page (two queries, whatever the amount of coverage)."""
    articles = Article.objects.published().select_related("section")
    if isinstance(subject, Film):
        articles = articles.about_film(subject)
    else:
        articles = articles.about_person(subject)
    return {
        "news": list(articles.news()[:COVERAGE_LIMIT]),
        "reviews": list(articles.reviews()[:COVERAGE_LIMIT]),
    }


@register.filter
def stars(rating: Decimal | None) -> str:
    """3.5 -> "★★★½☆": the rating drawn, for sighted readers only."""
    if rating is None:
        return ""
    whole = int(rating)
    half = rating - whole >= Decimal("0.5")
    return "★" * whole + ("½" if half else "") + "☆" * (5 - whole - half)


@register.filter
def machine_time(value) -> str:
    """A datetime as <time datetime> wants it: ISO 8601 to the second."""
    if not value:
        return ""
    return value.isoformat(timespec="seconds")
