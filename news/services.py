import datetime

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from catalog.models import Film, Person
from core import generation

from . import schedule
from .models import Article, bylines_prefetch

PUBLISHED = "Published."
UNPUBLISHED = "Unpublished."


@transaction.atomic
def publish_now(articles: QuerySet[Article], user: AbstractBaseUser) -> int:
    """Publish the articles that are not live yet (drafts, scheduled ones) as of
    now, noting it in each one's admin history; returns how many changed."""
    now = timezone.now()
    changing = list(
        Article.objects.select_for_update()
        .filter(pk__in=articles.values("pk"))
        .exclude(pk__in=Article.objects.published().values("pk"))
        .only("headline")  # what each log entry calls it
    )
    if changing:
        # One UPDATE, not save(): nothing that save() derives depends on the
        # status. `updated` is set by hand (auto_now only moves on save()) for
        # the feeds' Last-Modified, the sitemaps and JSON-LD; `version` as
        # save() moves it. A change form opened before is stale all the same:
        # the admin's guard (core/admin.py) sees its status and time change.
        Article.objects.filter(pk__in=[article.pk for article in changing]).update(
            status=Article.Status.PUBLISHED,
            published_at=now,
            updated=now,
            version=F("version") + 1,
        )
        LogEntry.objects.log_actions(user.pk, changing, CHANGE, PUBLISHED)
        save_revision(changing, user, PUBLISHED)
        # They leave the news sitemap in two days: the page cache must know.
        generation.due(*schedule.moments(now))
    return len(changing)


@transaction.atomic
def unpublish(articles: QuerySet[Article], user: AbstractBaseUser) -> int:
    """Take the articles off the site (published or scheduled) as drafts,
    noting it in each one's admin history; returns how many changed."""
    changing = list(
        Article.objects.select_for_update()
        .filter(pk__in=articles.values("pk"), status=Article.Status.PUBLISHED)
        .only("headline")
    )
    if changing:
        # As in publish_now(). Moving `updated` is what tells a feed reader
        # that asks only If-Modified-Since that the article has gone.
        Article.objects.filter(pk__in=[article.pk for article in changing]).update(
            status=Article.Status.DRAFT,
            updated=timezone.now(),
            version=F("version") + 1,
        )
        LogEntry.objects.log_actions(user.pk, changing, CHANGE, UNPUBLISHED)
        save_revision(changing, user, UNPUBLISHED)
    return len(changing)


def save_revision(
    articles: list[Article], user: AbstractBaseUser, comment: str
) -> None:
    """Keep a revision of the articles as the database now holds them, with
    their bylines: one revision for all, so that it costs the same queries for
    3 articles or 30 (a restore takes only its own article out of it)."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        saved = Article.objects.filter(pk__in=[article.pk for article in articles])
        for article in saved.prefetch_related(bylines_prefetch(), "films", "people"):
            reversion.add_to_revision(article)


def publication_change(
    status: str, published_at: datetime.datetime | None, article: Article
) -> str:
    """What a save from `status` at `published_at` did to the article's
    publication, in the words of its history: "Published.", "Unpublished.",
    "Scheduled for 5 Dec 2026, 10:00." or nothing."""

    def state(status, published_at):
        if status != Article.Status.PUBLISHED or published_at is None:
            return "draft"
        return "scheduled" if published_at > timezone.now() else "live"

    before, after = (
        state(status, published_at),
        state(article.status, article.published_at),
    )
    if after == "live" and before != "live":
        return PUBLISHED
    if after == "draft" and before != "draft":
        return UNPUBLISHED
    if after == "scheduled" and (
        before != "scheduled" or published_at != article.published_at
    ):
        when = timezone.localtime(article.published_at).strftime("%-d %b %Y, %H:%M")
        return f"Scheduled for {when}."
    return ""


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
