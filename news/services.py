from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from catalog.models import Film, Person

from .models import Article


@transaction.atomic
def publish_now(articles: QuerySet[Article]) -> int:
    """Publish the articles with the current time; returns how many changed."""
    return articles.exclude(
        status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
    ).update(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        version=F("version") + 1,
    )


@transaction.atomic
def unpublish(articles: QuerySet[Article]) -> int:
    """Take the articles off the site (published or scheduled) as drafts."""
    return articles.filter(status=Article.Status.PUBLISHED).update(
        status=Article.Status.DRAFT, version=F("version") + 1
    )


def record_body_links(article: Article) -> tuple[list[Film], list[Person]]:
    """Store which films and people the body links to, and return those the
    article is not yet marked as being about."""
    rendered = article.rendered_body()
    article.linked_films.set(rendered.films)
    article.linked_people.set(rendered.people)
    about_films = set(article.films.values_list("pk", flat=True))
    about_people = set(article.people.values_list("pk", flat=True))
    return (
        [film for film in rendered.films if film.pk not in about_films],
        [person for person in rendered.people if person.pk not in about_people],
    )
