"""Measure search on a large generated catalog, in a throwaway database.

Generates 100,000 films, 300,000 people, 300,000 credits and 5,000 articles by
default (see `benchmarks.catalog`) in a throwaway copy of the database
DATABASE_URL names (SQLite when unset), builds the search index, then times a mix
of queries (exact titles, other spellings, native script, word starts, two words
in any order, typos, misses) through the search engine: the database work of the
search page, without rendering. Prints the database, the catalog's size, the time
generation and indexing took, the median, 95th-percentile and worst latency, and
the database queries per search. Progress bars go to stderr on a terminal.

To measure again without generating again: `--keep NAME` generates into a
database of that name (a file path on SQLite) and leaves it there; `--reuse NAME`
migrates that database (so new indexes are built) and measures it as it is. Give
the same size and seed as when it was kept; drop it yourself when done
(`dropdb NAME`, `rm NAME`).

Usage: .venv/bin/python -m benchmarks.search [--films N] [--people N]
       [--articles N] [--queries N] [--seed N] [--keep NAME | --reuse NAME]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.common import Progress, setup_django, throwaway_database

setup_django()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.catalog import SEED, generate  # noqa: E402
from catalog.models import Credit, Film, Person  # noqa: E402
from news.models import Article  # noqa: E402
from search import engine  # noqa: E402
from search.indexing import rebuild  # noqa: E402
from search.models import SearchEntry  # noqa: E402
from search.text import clean_query, document  # noqa: E402
from search.views import ARTICLES_PER_PAGE  # noqa: E402


def search(query: str) -> None:
    """The database work of one search page: what the view asks of the
    engine, and the first page of articles with what their cards show."""
    query = clean_query(query)
    found = engine.search_catalog(query)
    articles = engine.matching_articles(query, found)
    list(Paginator(articles, ARTICLES_PER_PAGE).page(1).object_list)


def _sample(rng: random.Random, model, count: int, *fields: str) -> list[tuple]:
    """`count` rows at random (fewer if there are fewer), the same ones for
    the same seed and catalog."""
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(pks, min(count, len(pks)))
    rows = model.objects.in_bulk(chosen)
    return [tuple(getattr(rows[pk], name) for name in fields) for pk in chosen]


def sample_queries(rng: random.Random, count: int) -> list[str]:
    """A mix of what visitors type: titles and names as printed, without
    hyphens, by their start, in another order, in Hangul, with a slip."""
    films = _sample(rng, Film, count, "title", "original_title")
    people = _sample(rng, Person, count, "name", "native_name")
    bodies = _sample(rng, Article, count, "body")
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
            queries.append(" ".join(document(bodies[n % len(bodies)][0]).split()[:2]))
        else:
            queries.append(name.split()[0])
    return queries


@contextmanager
def kept_database(name: str, reuse: bool) -> Iterator[None]:
    """The database `name`, created afresh (or, to reuse it, kept as it is),
    migrated, and left in place on exit."""
    if name == connection.settings_dict["NAME"]:
        raise SystemExit(f"{name} is the database DATABASE_URL names; pick another")
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=reuse
    )
    yield


def benchmark(
    films: int, people: int, articles: int, queries: int, seed: int, reuse: bool
):
    rng = random.Random(seed)
    started = time.monotonic()
    if reuse:
        entries = SearchEntry.objects.count()
    else:
        generate(films, people, articles, rng=rng)
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

    # A generator of their own, so that a reused database gets the same queries.
    sample = sample_queries(random.Random(seed), queries)
    for query in sample[:10]:  # warm the caches
        search(query)
    timings, counts = [], set()
    progress = Progress("searching", len(sample))
    for query in sample:
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            search(query)
            timings.append((time.perf_counter() - begin) * 1000)
        counts.add(len(captured))
        progress.advance(1)
    progress.finish()

    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"Database: {connection.vendor} ({connection.settings_dict['NAME']})\n"
        f"Catalog: {Film.objects.count():,} films, {Person.objects.count():,} "
        f"people, {Credit.objects.count():,} credits, "
        f"{Article.objects.count():,} articles; {entries:,} search entries\n"
        f"Generation and indexing: "
        f"{'none (reused)' if reuse else f'{generation:.0f}s'}\n"
        f"Search, {len(timings)} queries: median "
        f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"max {timings[-1]:.1f} ms\n"
        f"Database queries per search: at most {max(counts)} "
        f"(seen: {', '.join(str(c) for c in sorted(counts))}; fewer when a "
        f"query finds no film, person or article)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.search",
        description=__doc__.splitlines()[0],
        epilog="DATABASE_URL=postgres://... measures PostgreSQL.",
    )
    for name, default, what in (
        ("films", 100_000, "films to generate"),
        ("people", 300_000, "people to generate"),
        ("articles", 5_000, "articles to generate"),
        ("queries", 300, "searches to time"),
    ):
        parser.add_argument(
            f"--{name}",
            type=int,
            default=default,
            metavar="N",
            help=f"{what} (%(default)s)",
        )
    parser.add_argument(
        "--seed", type=int, default=SEED, metavar="N", help="random seed (%(default)s)"
    )
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument(
        "--keep",
        metavar="NAME",
        help="generate into this database (a file on SQLite) and leave it there",
    )
    kept.add_argument(
        "--reuse",
        metavar="NAME",
        help="measure a database --keep left, without generating again",
    )
    args = parser.parse_args()
    for name in ("films", "people", "articles", "queries"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.people < 3:
        parser.error("--people must be at least 3 (three credits per film)")
    name = args.keep or args.reuse
    database = kept_database(name, bool(args.reuse)) if name else throwaway_database()
    with database:
        benchmark(
            args.films,
            args.people,
            args.articles,
            args.queries,
            args.seed,
            reuse=bool(args.reuse),
        )


if __name__ == "__main__":
    main()
