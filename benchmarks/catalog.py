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
    Still,
)
from news.models import RATINGS, Article, Author, Byline, Section

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
    crew_per_film: int = 0,
    stills_share: float = 0.0,
    coverage: bool = False,
    rng: random.Random | None = None,
) -> None:
    """Add `films` films (a fifth with an alternative title, half with a Hangul
    original title), `people` people, `credits_per_film` cast credits per film and
    `articles` published articles in the News section, in batches, with a progress
    bar per step. The same seed gives the same catalog.

    For a catalog that looks like a magazine's: `crew_per_film` crew credits per
    film (directing, writing, music…), stills for a `stills_share` of the films
    (rows with recorded renditions, no files), and with `coverage` articles in
    several sections by several authors, each about a film and two people, a
    tenth of them reviews."""
    rng = rng or random.Random(SEED)
    _films(rng, films)
    _people(rng, people)
    _credits(rng, credits_per_film)
    _articles(rng, articles)
    if crew_per_film:
        _crew(rng, crew_per_film)
    if stills_share:
        _stills(rng, stills_share)
    if coverage:
        _coverage(rng)


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
            _article(rng, n, section, published_at=now - timedelta(minutes=n))
            for n in numbers
        )


def _article(rng: random.Random, n: int, section: Section, **fields) -> Article:
    """An article of plain words, its HTML filled in as save() would (bulk
    creation does not call it)."""
    # In this order, so the same seed gives the same articles as it always has.
    headline = title(rng)
    standfirst = " ".join(word(rng) for _ in range(20))
    body = " ".join(word(rng) for _ in range(300))
    return Article(
        headline=headline,
        slug=f"a{n}",
        standfirst=standfirst,
        body=body,
        body_html=f"<p>{body}</p>",
        section=section,
        status=Article.Status.PUBLISHED,
        **fields,
    )


CREW = [
    (Department.DIRECTING, "Director"),
    (Department.WRITING, "Screenplay"),
    (Department.PRODUCTION, "Producer"),
    (Department.CINEMATOGRAPHY, "Director of photography"),
    (Department.EDITING, "Editor"),
    (Department.MUSIC, "Music"),
]
# The renditions a 2400 x 1350 still records: [width, height, WebP, JPEG bytes].
RENDITIONS = [
    [width, width * 9 // 16, width * 40, width * 60]
    for width in (320, 640, 1024, 1600, 2400)
]


def _crew(rng: random.Random, per_film: int) -> None:
    film_ids = list(Film.objects.values_list("pk", flat=True))
    person_ids = list(Person.objects.values_list("pk", flat=True))
    for numbers in _batches("crew", len(film_ids)):
        Credit.objects.bulk_create(
            Credit(
                film_id=film_id,
                person_id=person_id,
                department=department,
                job=job,
            )
            for film_id in film_ids[numbers.start : numbers.stop]
            for person_id, (department, job) in zip(
                rng.sample(person_ids, per_film),
                rng.sample(CREW, min(per_film, len(CREW))),
                strict=False,
            )
        )


def _stills(rng: random.Random, share: float) -> None:
    """Four stills each for `share` of the films, the first their poster."""
    film_ids = list(Film.objects.values_list("pk", flat=True))
    chosen = [film_id for film_id in film_ids if rng.random() < share]
    for numbers in _batches("stills", len(chosen)):
        batch = chosen[numbers.start : numbers.stop]
        stills = Still.objects.bulk_create(
            Still(
                film_id=film_id,
                image=f"images/{film_id % 256:02x}/bench{film_id}x{n}/original.jpg",
                width=2400,
                height=1350,
                renditions=RENDITIONS,
                alt_text=f"Still {n} of film {film_id}",
                caption=title(rng),
                position=n,
            )
            for film_id in batch
            for n in range(1, 5)
        )
        posters = {s.film_id: s.pk for s in stills if s.position == 1}
        Film.objects.bulk_update(
            [Film(pk=film_id, poster_id=still) for film_id, still in posters.items()],
            ["poster"],
        )


def _coverage(rng: random.Random) -> None:
    """Spread the generated articles over sections and authors, tie each to a
    film and two people, and make a tenth of them reviews."""
    sections = [
        Section.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in [("news", "News"), ("features", "Features")]
    ]
    reviews, _ = Section.objects.get_or_create(
        slug="reviews", defaults={"name": "Reviews"}
    )
    authors = Author.objects.bulk_create(
        Author(name=korean_name(rng), slug=f"author-{n}") for n in range(40)
    )
    film_ids = list(Film.objects.values_list("pk", flat=True))
    person_ids = list(Person.objects.values_list("pk", flat=True))
    articles = list(Article.objects.filter(slug__regex=r"^a[0-9]+$").only("pk"))
    FilmLink = Article.films.through
    PersonLink = Article.people.through
    for numbers in _batches("coverage", len(articles)):
        batch = articles[numbers.start : numbers.stop]
        about = []
        for article in batch:
            film_id = rng.choice(film_ids)
            about.append((article.pk, film_id))
            if rng.random() < 0.1:
                article.kind = Article.Kind.REVIEW
                article.section = reviews
                article.reviewed_film_id = film_id
                article.rating = rng.choice(RATINGS)
            else:
                article.kind = Article.Kind.NEWS
                article.section = rng.choice(sections)
                article.reviewed_film_id = None
                article.rating = None
        Article.objects.bulk_update(
            batch, ["kind", "section", "reviewed_film", "rating"]
        )
        FilmLink.objects.bulk_create(
            FilmLink(article_id=pk, film_id=film_id) for pk, film_id in about
        )
        PersonLink.objects.bulk_create(
            PersonLink(article_id=pk, person_id=person_id)
            for pk, _ in about
            for person_id in rng.sample(person_ids, 2)
        )
        Byline.objects.bulk_create(
            Byline(article_id=pk, author=rng.choice(authors)) for pk, _ in about
        )
