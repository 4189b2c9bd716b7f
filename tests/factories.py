"""Plain factory functions: the smallest valid object, overridable by keyword."""

import datetime
import itertools

from django.utils import timezone

from catalog.models import Country, Credit, Department, Film, Genre, Language, Person
from news.models import Article, Author, Byline, Section

_seq = itertools.count(1)


def make_film(**kwargs) -> Film:
    n = next(_seq)
    kwargs.setdefault("title", f"Film {n}")
    kwargs.setdefault("slug", f"film-{n}")
    genres = kwargs.pop("genres", [])
    countries = kwargs.pop("countries", [])
    film = Film.objects.create(**kwargs)
    film.genres.set(genres)
    film.countries.set(countries)
    return film


def make_person(**kwargs) -> Person:
    n = next(_seq)
    kwargs.setdefault("name", f"Person {n}")
    kwargs.setdefault("slug", f"person-{n}")
    return Person.objects.create(**kwargs)


def make_credit(**kwargs) -> Credit:
    if "film" not in kwargs:
        kwargs["film"] = make_film()
    if "person" not in kwargs:
        kwargs["person"] = make_person()
    kwargs.setdefault("department", Department.CAST)
    return Credit.objects.create(**kwargs)


def make_genre(**kwargs) -> Genre:
    n = next(_seq)
    kwargs.setdefault("name", f"Genre {n}")
    kwargs.setdefault("slug", f"genre-{n}")
    return Genre.objects.create(**kwargs)


def make_country(**kwargs) -> Country:
    kwargs.setdefault("code", "kr")
    kwargs.setdefault("name", "South Korea")
    return Country.objects.get_or_create(code=kwargs.pop("code"), defaults=kwargs)[0]


def make_language(**kwargs) -> Language:
    kwargs.setdefault("code", "ko")
    kwargs.setdefault("name", "Korean")
    return Language.objects.get_or_create(code=kwargs.pop("code"), defaults=kwargs)[0]


def make_section(**kwargs) -> Section:
    n = next(_seq)
    kwargs.setdefault("name", f"Section {n}")
    kwargs.setdefault("slug", f"section-{n}")
    return Section.objects.create(**kwargs)


def make_author(**kwargs) -> Author:
    n = next(_seq)
    kwargs.setdefault("name", f"Author {n}")
    kwargs.setdefault("slug", f"author-{n}")
    return Author.objects.create(**kwargs)


def make_article(**kwargs) -> Article:
    """A published article (an hour old) unless told otherwise."""
    n = next(_seq)
    kwargs.setdefault("headline", f"Headline {n}")
    kwargs.setdefault("slug", f"article-{n}")
    kwargs.setdefault("status", Article.Status.PUBLISHED)
    if kwargs["status"] == Article.Status.PUBLISHED:
        kwargs.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    if "section" not in kwargs:
        kwargs["section"] = make_section()
    if kwargs.get("kind") == Article.Kind.REVIEW and "reviewed_film" not in kwargs:
        kwargs["reviewed_film"] = make_film()
    authors = kwargs.pop("authors", [])
    films = kwargs.pop("films", [])
    people = kwargs.pop("people", [])
    article = Article.objects.create(**kwargs)
    Byline.objects.bulk_create(
        Byline(article=article, author=author, position=position)
        for position, author in enumerate(authors)
    )
    article.films.set(films)
    article.people.set(people)
    return article
