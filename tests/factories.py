"""Plain factory functions: the smallest valid object, overridable by keyword."""

import itertools

from catalog.models import Country, Credit, Department, Film, Genre, Language, Person

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
