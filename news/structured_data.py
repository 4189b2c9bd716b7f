"""JSON-LD for articles: NewsArticle for news and features, Review for reviews."""

from __future__ import annotations

from catalog.structured_data import movie_reference
from seo.structured_data import (
    CONTEXT,
    Absolute,
    image_urls,
    person_reference,
    publisher,
    without_empty,
)

from .models import Article

BEST_RATING = 5
WORST_RATING = 0.5


def authors(article: Article, absolute: Absolute) -> list[dict]:
    """Each author as a Person with their page (bylines prefetched)."""
    return [person_reference(author, absolute) for author in article.author_list]


def iso(moment) -> str | None:
    """A datetime in ISO 8601 to the second, as JSON-LD and <time> want it."""
    return moment.isoformat(timespec="seconds") if moment else None


def rating(article: Article) -> dict | None:
    if article.rating is None:
        return None
    return {
        "@type": "Rating",
        "ratingValue": float(article.rating),
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
    }


def review_summary(article: Article, absolute: Absolute) -> dict:
    """A review as the film's page lists it (the film is the enclosing Movie)."""
    return without_empty(
        {
            "@type": "Review",
            "name": article.headline,
            "url": absolute(article.get_absolute_url()),
            "author": authors(article, absolute),
            "datePublished": iso(article.published_at),
            "reviewRating": rating(article),
            "publisher": publisher(absolute),
        }
    )


def article(article: Article, absolute: Absolute) -> dict:
    """The article page: a Review of its film, or a NewsArticle."""
    common = {
        "@context": CONTEXT,
        "headline": article.headline,
        "description": article.standfirst,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "image": image_urls(article.lead_image, absolute),
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.last_changed),
        "author": authors(article, absolute),
        "publisher": publisher(absolute),
    }
    if article.kind == Article.Kind.REVIEW and article.reviewed_film:
        return without_empty(
            {
                **common,
                "@type": "Review",
                "name": article.headline,
                "itemReviewed": movie_reference(article.reviewed_film, absolute),
                "reviewRating": rating(article),
                "reviewBody": article.verdict,
            }
        )
    about = [movie_reference(film, absolute) for film in article.films.all()]
    about += [person_reference(person, absolute) for person in article.people.all()]
    return without_empty({**common, "@type": "NewsArticle", "about": about})
