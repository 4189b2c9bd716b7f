"""A large generated catalog for the benchmarks: films with Korean-looking titles
and people with Korean-looking names, alternative titles, name variants, credits
and published articles.

`generate()` fills the current database; Django must be set up first (see
`benchmarks.common`), and the database should be a throwaway one.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from benchmarks.common import Progress
from catalog.models import (
    AlternativeTitle,
    Credit,
    Department,
    Film,
    Person,
    PersonNameVariant,
)
from news.models import Article, Section

BATCH = 5000
SEED = 6
# fmt: off
SURNAMES = [
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
    "Han", "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Ryu", "Jeon",
    "Hong", "Go", "Moon", "Yang", "Son", "Bae", "Baek", "Heo", "Yoo", "Nam",
]
SYLLABLES = [
    "soo", "yeon", "hyun", "joo", "min", "seung", "ho", "sang", "kyung", "ji",
    "eun", "young", "jin", "woo", "hee", "sun", "dong", "wook", "seo", "yi",
    "ha", "na", "ra", "tae", "jae", "hye", "mi", "kyu", "won", "chul",
    "bin", "gyu", "hoon", "jun", "so", "yeong",
]
# Syllables of made-up words, for titles, foreign names and article text.
PSEUDO = [
    "ka", "ri", "on", "ta", "mel", "vor", "lin", "da", "sa", "tor",
    "ven", "qui", "ar", "el", "mo", "nus", "pha", "ze", "lu", "bri",
]
# fmt: on


def word(rng: random.Random) -> str:
    return "".join(rng.choices(PSEUDO, k=rng.randint(2, 3)))


def hangul(rng: random.Random, length: int) -> str:
    return "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(length))


def korean_name(rng: random.Random) -> str:
    first, second = rng.sample(SYLLABLES, 2)
    return f"{rng.choice(SURNAMES)} {first.capitalize()}-{second}"


def title(rng: random.Random) -> str:
    words = [word(rng) for _ in range(rng.randint(1, 4))]
    if len(words) > 2:
        words.insert(1, rng.choice(["of", "to", "the", "in"]))
    return " ".join(words).capitalize()


def generate(
    films: int,
    people: int,
    articles: int,
    *,
    credits_per_film: int = 3,
    rng: random.Random | None = None,
) -> None:
    """Add `films` films (a fifth with an alternative title, half with a Hangul
    original title), `people` people, `credits_per_film` cast credits per film and
    `articles` published articles in the News section, in batches, with a progress bar
    per step. The same seed gives the same catalog."""
    rng = rng or random.Random(SEED)
    _films(rng, films)
    _people(rng, people)
    _credits(rng, credits_per_film)
    _articles(rng, articles)


def _batches(label: str, count: int) -> Iterator[range]:
    """The numbers 0 to `count` in ranges of BATCH, each written in a
    transaction of its own, with a progress bar."""
    progress = Progress(label, count)
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        with transaction.atomic():
            yield numbers
        progress.advance(len(numbers))
    progress.finish()


def _films(rng: random.Random, count: int) -> None:
    for numbers in _batches("films", count):
        batch = Film.objects.bulk_create(
            Film(
                title=title(rng),
                original_title=hangul(rng, rng.randint(2, 4))
                if rng.random() < 0.5
                else "",
                slug=f"f{n}",
                year=rng.randint(1950, 2025),
            )
            for n in numbers
        )
        AlternativeTitle.objects.bulk_create(
            AlternativeTitle(film=film, title=title(rng), kind="regional")
            for film in batch
            if rng.random() < 0.2
        )


def _people(rng: random.Random, count: int) -> None:
    for numbers in _batches("people", count):
        batch = Person.objects.bulk_create(
            Person(
                name=korean_name(rng)
                if rng.random() < 0.7
                else f"{word(rng).capitalize()} {word(rng).capitalize()}",
                native_name=hangul(rng, 3) if rng.random() < 0.6 else "",
                slug=f"p{n}",
            )
            for n in numbers
        )
        PersonNameVariant.objects.bulk_create(
            PersonNameVariant(person=person, name=person.name.replace("-", ""))
            for person in batch
            if "-" in person.name and rng.random() < 0.3
        )


def _credits(rng: random.Random, per_film: int) -> None:
    film_ids = list(Film.objects.values_list("pk", flat=True))
    person_ids = list(Person.objects.values_list("pk", flat=True))
    for numbers in _batches("credits", len(film_ids)):
        batch = film_ids[numbers.start : numbers.stop]
        Credit.objects.bulk_create(
            Credit(
                film_id=film_id,
                person_id=person_id,
                department=Department.CAST,
                character=korean_name(rng),
                billing_order=order,
            )
            for film_id in batch
            for order, person_id in enumerate(rng.sample(person_ids, per_film))
        )


def _articles(rng: random.Random, count: int) -> None:
    section, _ = Section.objects.get_or_create(slug="news", defaults={"name": "News"})
    now = timezone.now()
    for numbers in _batches("articles", count):
        Article.objects.bulk_create(
            Article(
                headline=title(rng),
                slug=f"a{n}",
                standfirst=" ".join(word(rng) for _ in range(20)),
                body=" ".join(word(rng) for _ in range(300)),
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=n),
            )
            for n in numbers
        )
