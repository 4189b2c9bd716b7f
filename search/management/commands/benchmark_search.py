"""Measure search on a large generated catalog, in a throwaway database."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import (
    AlternativeTitle,
    Credit,
    Department,
    Film,
    Person,
    PersonNameVariant,
)
from news.models import Article, Section
from search import engine
from search.indexing import rebuild
from search.text import clean_query, document
from search.views import ARTICLES_PER_PAGE

BATCH = 5000
SURNAMES = [
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Kang",
    "Cho",
    "Yoon",
    "Jang",
    "Lim",
    "Han",
    "Oh",
    "Seo",
    "Shin",
    "Kwon",
    "Hwang",
    "Ahn",
    "Song",
    "Ryu",
    "Jeon",
    "Hong",
    "Go",
    "Moon",
    "Yang",
    "Son",
    "Bae",
    "Baek",
    "Heo",
    "Yoo",
    "Nam",
]
SYLLABLES = [
    "soo",
    "yeon",
    "hyun",
    "joo",
    "min",
    "seung",
    "ho",
    "sang",
    "kyung",
    "ji",
    "eun",
    "young",
    "jin",
    "woo",
    "hee",
    "sun",
    "dong",
    "wook",
    "seo",
    "yi",
    "ha",
    "na",
    "ra",
    "tae",
    "jae",
    "hye",
    "mi",
    "kyu",
    "won",
    "chul",
    "bin",
    "gyu",
    "hoon",
    "jun",
    "so",
    "yeong",
]
PSEUDO = [
    "ka",
    "ri",
    "on",
    "ta",
    "mel",
    "vor",
    "lin",
    "da",
    "sa",
    "tor",
    "ven",
    "qui",
    "ar",
    "el",
    "mo",
    "nus",
    "pha",
    "ze",
    "lu",
    "bri",
]


def search(query: str) -> None:
    """The database work of one search page: what the view asks of the
    engine, and the first page of articles with what their cards show.
    Rendering is left out, so the figures are the search's own."""
    query = clean_query(query)
    catalog = engine.search_catalog(query)
    page = Paginator(engine.matching_articles(query, catalog), ARTICLES_PER_PAGE).page(
        1
    )
    list(page.object_list)


class Progress:
    """A bar on stderr: `done/total` for one step of the work."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.started = time.monotonic()
        self.draw()

    def advance(self, count: int) -> None:
        before = self.done
        self.done = min(self.total, self.done + count)
        if self.done * 100 // self.total != before * 100 // self.total:
            self.draw()

    def draw(self) -> None:
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        sys.stderr.write(
            f"\r{self.label:<20} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:>9,}/{self.total:,} {time.monotonic() - self.started:6.1f}s"
        )
        sys.stderr.flush()

    def finish(self) -> None:
        self.done = self.total
        self.draw()
        sys.stderr.write("\n")


class Command(BaseCommand):
    help = (
        "Generate a large catalog in a throwaway copy of the configured database "
        "(DATABASE_URL) and report search latency and queries per request."
    )

    def add_arguments(self, parser):
        parser.add_argument("--films", type=int, default=100_000)
        parser.add_argument("--people", type=int, default=300_000)
        parser.add_argument("--articles", type=int, default=5_000)
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args, **options):
        self.random = random.Random(options["seed"])
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        with tempfile.TemporaryDirectory() as work:
            if connection.vendor == "sqlite":
                # A file, as in production, rather than the test default's memory.
                connection.settings_dict["TEST"]["NAME"] = str(
                    Path(work) / "db.sqlite3"
                )
            creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                self.run_benchmark(options)
            finally:
                creation.destroy_test_db(old_name, verbosity=0)

    def run_benchmark(self, options):
        started = time.monotonic()
        self.generate(options["films"], options["people"], options["articles"])
        steps = (
            Film.objects.count()
            + Person.objects.count()
            + Credit.objects.exclude(character="").count()
        )
        progress = Progress("search index", steps)
        entries = rebuild(progress=progress.advance)
        progress.finish()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        generation = time.monotonic() - started

        queries = self.sample_queries(options["queries"])
        for query in queries[:10]:  # warm the caches
            search(query)
        timings, counts = [], set()
        progress = Progress("searching", len(queries))
        for query in queries:
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                search(query)
                timings.append((time.perf_counter() - begin) * 1000)
            counts.add(len(captured))
            progress.advance(1)
        progress.finish()

        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        self.stdout.write(
            f"Database: {connection.vendor} "
            f"({connection.settings_dict['NAME']})\n"
            f"Catalog: {Film.objects.count():,} films, {Person.objects.count():,} "
            f"people, {Credit.objects.count():,} credits, "
            f"{Article.objects.count():,} articles; {entries:,} search entries\n"
            f"Generation and indexing: {generation:.0f}s\n"
            f"Search, {len(timings)} queries: median "
            f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"max {timings[-1]:.1f} ms\n"
            f"Database queries per search: at most {max(counts)} "
            f"(seen: {', '.join(str(c) for c in sorted(counts))}; fewer when a "
            f"query finds no film, person or article)"
        )

    # Generation ---------------------------------------------------------

    def word(self) -> str:
        return "".join(self.random.choices(PSEUDO, k=self.random.randint(2, 3)))

    def hangul(self, length: int) -> str:
        return "".join(chr(self.random.randint(0xAC00, 0xD7A3)) for _ in range(length))

    def korean_name(self) -> str:
        first, second = self.random.sample(SYLLABLES, 2)
        return f"{self.random.choice(SURNAMES)} {first.capitalize()}-{second}"

    def title(self) -> str:
        words = [self.word() for _ in range(self.random.randint(1, 4))]
        if len(words) > 2:
            words.insert(1, self.random.choice(["of", "to", "the", "in"]))
        return " ".join(words).capitalize()

    def generate(self, films: int, people: int, articles: int) -> None:
        rng = self.random
        progress = Progress("films", films)
        for start in range(0, films, BATCH):
            with transaction.atomic():
                batch = Film.objects.bulk_create(
                    Film(
                        title=self.title(),
                        original_title=self.hangul(rng.randint(2, 4))
                        if rng.random() < 0.5
                        else "",
                        slug=f"f{n}",
                        year=rng.randint(1950, 2025),
                    )
                    for n in range(start, min(films, start + BATCH))
                )
                AlternativeTitle.objects.bulk_create(
                    AlternativeTitle(film=film, title=self.title(), kind="regional")
                    for film in batch
                    if rng.random() < 0.2
                )
            progress.advance(len(batch))
        progress.finish()

        progress = Progress("people", people)
        for start in range(0, people, BATCH):
            with transaction.atomic():
                batch = Person.objects.bulk_create(
                    Person(
                        name=self.korean_name()
                        if rng.random() < 0.7
                        else f"{self.word().capitalize()} {self.word().capitalize()}",
                        native_name=self.hangul(3) if rng.random() < 0.6 else "",
                        slug=f"p{n}",
                    )
                    for n in range(start, min(people, start + BATCH))
                )
                PersonNameVariant.objects.bulk_create(
                    PersonNameVariant(person=person, name=person.name.replace("-", ""))
                    for person in batch
                    if "-" in person.name and rng.random() < 0.3
                )
            progress.advance(len(batch))
        progress.finish()

        film_ids = list(Film.objects.values_list("pk", flat=True))
        person_ids = list(Person.objects.values_list("pk", flat=True))
        progress = Progress("credits", len(film_ids))
        for start in range(0, len(film_ids), BATCH):
            with transaction.atomic():
                Credit.objects.bulk_create(
                    Credit(
                        film_id=film_id,
                        person_id=person_id,
                        department=Department.CAST,
                        character=self.korean_name(),
                        billing_order=order,
                    )
                    for film_id in film_ids[start : start + BATCH]
                    for order, person_id in enumerate(rng.sample(person_ids, 3))
                )
            progress.advance(len(film_ids[start : start + BATCH]))
        progress.finish()

        section = Section.objects.create(name="News", slug="news")
        now = timezone.now()
        progress = Progress("articles", articles)
        for start in range(0, articles, BATCH):
            with transaction.atomic():
                Article.objects.bulk_create(
                    Article(
                        headline=self.title(),
                        slug=f"a{n}",
                        standfirst=" ".join(self.word() for _ in range(20)),
                        body=" ".join(self.word() for _ in range(300)),
                        section=section,
                        status=Article.Status.PUBLISHED,
                        published_at=now - timezone.timedelta(minutes=n),
                    )
                    for n in range(start, min(articles, start + BATCH))
                )
            progress.advance(min(BATCH, articles - start))
        progress.finish()

    def sample_queries(self, count: int) -> list[str]:
        """A mix of what visitors type: titles and names as printed, without
        hyphens, by their start, in another order, in Hangul, with a slip."""
        rng = self.random
        films = list(
            Film.objects.order_by("?").values_list("title", "original_title")[:count]
        )
        people = list(
            Person.objects.order_by("?").values_list("name", "native_name")[:count]
        )
        headlines = list(Article.objects.order_by("?").values_list("body")[:count])
        queries = []
        for n in range(count):
            title, original = films[n % len(films)]
            name, native = people[n % len(people)]
            kind = n % 8
            if kind == 0:
                queries.append(title)
            elif kind == 1:
                queries.append(name.replace("-", "").lower())
            elif kind == 2:
                queries.append(title[: max(3, len(title) // 2)])
            elif kind == 3:
                queries.append(" ".join(reversed(name.split())))
            elif kind == 4:
                queries.append(original or native or name)
            elif kind == 5:
                at = rng.randrange(1, len(name) - 1)
                queries.append(name[:at] + name[at + 1] + name[at] + name[at + 2 :])
            elif kind == 6:
                queries.append(
                    " ".join(document(headlines[n % len(headlines)][0]).split()[:2])
                )
            else:
                queries.append(name.split()[0])
        return queries
