"""When time alone changes the magazine's pages, for the page cache's
generation (core.generation): a scheduled article appears at its publication
time, and leaves the Google News sitemap when its window closes."""

from __future__ import annotations

import datetime

from core import generation

from .models import Article
from .sitemaps import NEWS_WINDOW


def moments(published_at: datetime.datetime | None) -> list[datetime.datetime]:
    if published_at is None:
        return []
    return [published_at, published_at + NEWS_WINDOW]


def upcoming(now: datetime.datetime) -> list[datetime.datetime]:
    """Every such moment after now: articles published within the window or
    scheduled for later (a range of the publication-time index)."""
    times = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=now - NEWS_WINDOW
    ).values_list("published_at", flat=True)
    return [moment for published_at in times for moment in moments(published_at)]


def article_saved(sender, instance: Article, **kwargs) -> None:
    if instance.status == Article.Status.PUBLISHED:
        generation.due(*moments(instance.published_at))
