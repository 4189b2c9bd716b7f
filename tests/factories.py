"""Plain factory functions: the smallest valid object, overridable by keyword."""

import datetime
import io
import itertools
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from catalog.models import (
    Company,
    Country,
    Credit,
    Department,
    Film,
    Genre,
    Language,
    Person,
    Portrait,
    Still,
    Video,
)
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


def make_company(**kwargs) -> Company:
    n = next(_seq)
    kwargs.setdefault("name", f"Company {n}")
    kwargs.setdefault("slug", f"company-{n}")
    return Company.objects.create(**kwargs)


def image_bytes(width=640, height=400, fmt="JPEG", mode="RGB", **save_options) -> bytes:
    """A real image: a gradient with a block of colour, so it has detail."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    image.paste(
        (200, 40, 30) if mode == "RGB" else 128, (0, 0, width // 3, height // 3)
    )
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def image_upload(name="still.jpg", width=640, height=400, fmt="JPEG", **options):
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "image/" + fmt)
    return SimpleUploadedFile(
        name, image_bytes(width, height, fmt, **options), content_type
    )


def _stored_picture_fields(width=1600, height=900) -> dict:
    """The fields of a picture whose files were never written: for pages, which
    only ever read the row."""
    key = uuid.uuid4().hex
    widths = [w for w in (320, 640, 1024) if w < width] + [width]
    return {
        "image": f"images/{key[:2]}/{key}/original.jpg",
        "width": width,
        "height": height,
        "renditions": [[w, round(height * w / width), 9000, 12000] for w in widths],
    }


def make_still(film=None, people=(), **kwargs) -> Still:
    """A still row (no files: see image_upload() for the real pipeline)."""
    kwargs.setdefault("alt_text", "A scene from the film")
    kwargs.setdefault("credit", "Netflix")
    for name, value in _stored_picture_fields().items():
        kwargs.setdefault(name, value)
    still = Still.objects.create(film=film or make_film(), **kwargs)
    still.people.set(people)
    return still


def make_portrait(person, **kwargs) -> Portrait:
    kwargs.setdefault("alt_text", f"{person.name}, smiling")
    for name, value in _stored_picture_fields(900, 1100).items():
        kwargs.setdefault(name, value)
    return Portrait.objects.create(person=person, **kwargs)


def make_video(film, **kwargs) -> Video:
    kwargs.setdefault("title", "Official trailer")
    kwargs.setdefault("url", f"https://www.youtube.com/watch?v={uuid.uuid4().hex[:11]}")
    return Video.objects.create(film=film, **kwargs)


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
