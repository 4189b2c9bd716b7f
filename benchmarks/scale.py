"""Measure every public page type at three sizes: the demo, a small catalog
and catalog scale.

Each size is a database of its own (SQLite, or the one DATABASE_URL names): the
demo alone; the demo with a small generated catalog (by default a hundredth of
the scale sizes, with 1,500 articles so that every list and the Google News
sitemap has full pages); and the demo with the large catalog (100,000 films,
300,000 people, 1,000,000 credits, 50,000 articles by default, with stills,
alternative titles, name variants, sections, authors and reviews; see
`benchmarks.catalog`), the search index rebuilt for each. The demo's own film,
person and articles are measured at every size, the lists and sitemaps at
their first and last pages, and the generated section and author too.

For each page it prints, at each size: the database queries, the median
in-process milliseconds of warm requests through Django's test client, and,
where valgrind is installed, the instructions per request; then the
scale/small ratio, which shows growth with the amount of data rather than a
page going from 3 items to 24. For sitemap pages, whose number of URLs grows
up to the protocol's 50,000, the ratio is that of the instructions per URL,
which are printed too. Instructions are counted by callgrind in one process
per size: it dumps its counters whenever the benchmark calls sched_yield()
between pages, so each page's warm requests are counted alone, whatever else
the machine is doing. Progress goes to stderr.

Requests bypass the page cache (`core.pagecache`): the figures are those of
rendering a page. What is memoised per content generation (counts, page keys)
stays warm, as it does between two changes on a live site.

`--keep PLACE` keeps the small and large databases (SQLite files in the folder
PLACE, or PostgreSQL databases named PLACE_small and PLACE_scale) and reuses
them on the next run with the same sizes, migrated to the current code,
instead of generating them again.

Usage: .venv/bin/python -m benchmarks.scale [--films N] [--people N]
       [--credits N] [--articles N] [--small-share F] [--small-articles N]
       [--requests N] [--no-instructions] [--only SUBSTRING] [--keep PLACE]
       [--no-demo] [--demo-only]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, Progress, setup_django, throwaway_database

setup_django()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.catalog import generate  # noqa: E402
from catalog import views as catalog_views  # noqa: E402
from catalog.models import Film, Person  # noqa: E402
from core import generation, pagecache  # noqa: E402
from news import views as news_views  # noqa: E402
from news.models import Article, Author, Section  # noqa: E402
from search.indexing import rebuild  # noqa: E402

# Every request renders its page: the page cache would answer all but the
# first from memory, and the benchmark is about rendering.
pagecache.cacheable_request = lambda request: False

# The demo's own pages, measured at both sizes.
FILM, PERSON = "jung-e", "kang-soo-yeon"
NEWS, REVIEW = "netflix-releases-jung-e-set-stills", "jung-e-review"
SECTION, AUTHOR = "film-news", "mira-kwon"
# A generated section and author (benchmarks.catalog), absent from the demo.
BIG_SECTION, BIG_AUTHOR = "news", "author-0"
SITEMAP_PAGE = 50_000  # URLs per sitemap page (Django's default limit)
# Warm requests before a page is measured: caches, the template loader.
WARM = 2
ROW = "{:<36} {:>5} {:>5} {:>5} {:>7} {:>7} {:>9} {:>9} {:>9} {:>6}"
SIZES = ("demo", "small", "scale")


@dataclass
class Figures:
    queries: int
    ms: float
    urls: int = 0  # <url> elements, for sitemap pages
    instructions: float | None = None

    @property
    def per_url(self) -> float | None:
        if self.instructions is None or not self.urls:
            return None
        return self.instructions / self.urls


def last_page(count: int, per_page: int) -> int:
    return max(1, math.ceil(count / per_page))


def pages() -> dict[str, str]:
    """Every public page type, by label, at the current size of the catalog."""
    films = Film.objects.count()
    people = Person.objects.count()
    published = Article.objects.published()
    news = published.news().count()
    reviews = published.reviews().count()
    urls = {
        "home": "/",
        "film index": "/films/",
        "film index, last page": "/films/?page="
        + str(last_page(films, catalog_views.FilmListView.paginate_by)),
        "film page": f"/films/{FILM}/",
        "stills page": f"/films/{FILM}/stills/",
        "people index": "/people/",
        "people index, last page": "/people/?page="
        + str(last_page(people, catalog_views.PersonListView.paginate_by)),
        "person page": f"/people/{PERSON}/",
        "news index": "/news/",
        "news index, last page": "/news/?page="
        + str(last_page(news, news_views.PAGE_SIZE)),
        "reviews index": "/reviews/",
        "reviews index, last page": "/reviews/?page="
        + str(last_page(reviews, news_views.PAGE_SIZE)),
        "article page": f"/news/{NEWS}/",
        "review page": f"/reviews/{REVIEW}/",
        "section page": f"/sections/{SECTION}/",
        "author page": f"/authors/{AUTHOR}/",
    }
    section = Section.objects.filter(slug=BIG_SECTION).first()
    if section:
        in_section = published.filter(section=section).count()
        urls["big section page"] = f"/sections/{BIG_SECTION}/"
        urls["big section, last page"] = f"/sections/{BIG_SECTION}/?page=" + str(
            last_page(in_section, news_views.PAGE_SIZE)
        )
    author = Author.objects.filter(slug=BIG_AUTHOR).first()
    if author:
        by_author = published.filter(authors=author).count()
        urls["big author page"] = f"/authors/{BIG_AUTHOR}/"
        urls["big author, last page"] = f"/authors/{BIG_AUTHOR}/?page=" + str(
            last_page(by_author, news_views.PAGE_SIZE)
        )
    return {
        **urls,
        "feed list": "/feeds/",
        "latest feed (RSS)": "/feeds/latest/",
        "latest feed (Atom)": "/feeds/latest/atom/",
        "latest feed (JSON)": "/feeds/latest/json/",
        "film feed": f"/films/{FILM}/feed/",
        "search": "/search/?q=jung",
        "search suggestions": "/search/suggestions/?q=jung",
        "sitemap index": "/sitemap.xml",
        "sitemap: films": "/sitemap-films.xml",
        "sitemap: films, last page": "/sitemap-films.xml?p="
        + str(last_page(films, SITEMAP_PAGE)),
        "sitemap: people": "/sitemap-people.xml",
        "sitemap: people, last page": "/sitemap-people.xml?p="
        + str(last_page(people, SITEMAP_PAGE)),
        "sitemap: articles": "/sitemap-articles.xml",
        "sitemap: news": "/sitemap-news.xml",
        "sitemap: lists": "/sitemap-lists.xml",
        "robots.txt": "/robots.txt",
    }


def client() -> Client:
    return Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])


def get(browser: Client, url: str):
    response = browser.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def measure(urls: dict[str, str], requests: int) -> dict[str, Figures]:
    """Queries and median milliseconds of each page, in this process."""
    browser = client()
    results = {}
    progress = Progress("pages", len(urls))
    for label, url in urls.items():
        for _ in range(WARM):
            get(browser, url)
        with CaptureQueriesContext(connection) as queries:
            response = get(browser, url)
        # Counted now: the next request empties the log the count reads.
        query_count = len(queries)
        urls = response.content.count(b"<url>") if "sitemap-" in url else 0
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            get(browser, url)
            times.append((time.perf_counter() - started) * 1000)
        results[label] = Figures(query_count, statistics.median(times), urls)
        progress.advance(1)
    progress.finish()
    return results


def count_instructions(urls: dict[str, str], requests: int) -> dict[str, float]:
    """Instructions per warm request of each page, counted by callgrind in a
    child process that uses this process's database."""
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "callgrind.out"
        plan = Path(work) / "plan.json"
        plan.write_text(json.dumps({"urls": list(urls.values()), "requests": requests}))
        env = {
            **os.environ,
            "PYTHONHASHSEED": "0",
            "DATABASE_URL": database_url(),
        }
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--dump-before=sched_yield",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "benchmarks.scale",
                "--child",
                str(plan),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Dump 1 is the start-up; then, per page, its warm-up and its requests.
        segments = [totals(Path(f"{out}.{n}")) for n in range(1, 2 + 2 * len(urls))]
    return {
        label: segments[2 + 2 * index] / requests for index, label in enumerate(urls)
    }


def totals(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise SystemExit(f"{dump} has no totals")


def child(plan_file: str) -> None:
    """Under callgrind: warm each page, then request it, a dump between."""
    plan = json.loads(Path(plan_file).read_text())
    browser = client()
    os.sched_yield()
    for url in plan["urls"]:
        for _ in range(WARM):
            get(browser, url)
        os.sched_yield()
        for _ in range(plan["requests"]):
            get(browser, url)
        os.sched_yield()


def database_url() -> str:
    """The throwaway database as a URL, for the child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def ratio(scale: float | None, small: float | None) -> str:
    if scale is None or small is None or not small:
        return "–"
    return f"{scale / small:.2f}"


def millions(value: float | None) -> str:
    return "–" if value is None else f"{value / 1e6:,.1f} M"


@contextmanager
def catalog_database(label: str, keep: str | None) -> Iterator[bool]:
    """A migrated database for one size; yields whether it already holds the
    generated catalog (kept by an earlier run with `--keep`)."""
    old_name = connection.settings_dict["NAME"]
    if keep is None:
        if connection.vendor != "sqlite":
            # Named after DATABASE_URL's database, not Django's test_ prefix.
            connection.settings_dict["TEST"]["NAME"] = f"{old_name}_{label}"
        with throwaway_database():
            yield False
        return
    if connection.vendor == "sqlite":
        Path(keep).mkdir(parents=True, exist_ok=True)
        name = str(Path(keep).resolve() / f"{label}.sqlite3")
    else:
        name = f"{keep}_{label}"
    connection.settings_dict["TEST"]["NAME"] = name
    # keepdb: an existing database is kept and migrated, a missing one made.
    connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=True)
    try:
        yield Film.objects.filter(slug="f0").exists()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=True)


def fill(films: int, people: int, credits: int, articles: int) -> float:
    """The demo and a generated catalog of these sizes, search index built;
    returns the seconds it took."""
    started = time.monotonic()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    # Cast and crew in the proportion of a real film's credits.
    cast = max(1, round(credits / max(films, 1) * 0.7))
    crew = max(0, round(credits / max(films, 1)) - cast)
    generate(
        films,
        people,
        articles,
        credits_per_film=cast,
        crew_per_film=crew,
        stills_share=0.2,
        coverage=True,
    )
    rebuild()
    return time.monotonic() - started


def describe(size: str, seconds: float | None) -> str:
    made = "kept from an earlier run" if seconds is None else f"made in {seconds:.0f} s"
    return (
        f"{size}: {Film.objects.count():,} films, {Person.objects.count():,} people, "
        f"{Article.objects.count():,} articles; {made}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--credits", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument(
        "--small-share",
        type=float,
        default=0.01,
        help="the small catalog's sizes as a share of the scale's",
    )
    parser.add_argument(
        "--small-articles",
        type=int,
        default=1500,
        help="articles in the small catalog (a full Google News sitemap page)",
    )
    parser.add_argument(
        "--requests", type=int, default=5, help="measured requests per page"
    )
    parser.add_argument("--no-instructions", action="store_true", help="skip valgrind")
    parser.add_argument(
        "--only", default="", help="measure only pages whose label has this"
    )
    parser.add_argument(
        "--keep",
        metavar="PLACE",
        help="keep the generated databases (a folder for SQLite, a name prefix "
        "on PostgreSQL) and reuse them on later runs",
    )
    parser.add_argument(
        "--no-demo", action="store_true", help="skip the demo-only database"
    )
    parser.add_argument(
        "--demo-only", action="store_true", help="measure at demo size only"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    instructions = not args.no_instructions and shutil.which("valgrind")
    if not args.no_instructions and not instructions:
        print("valgrind not found: no instruction counts.", file=sys.stderr)

    def run(size: str) -> dict[str, Figures]:
        # Another database from here on: what is memoised per content
        # generation belongs to the one before (a kept one is not written to).
        generation.bump()
        urls = {label: url for label, url in pages().items() if args.only in label}
        print(f"Measuring {len(urls)} pages at {size}…", file=sys.stderr)
        figures = measure(urls, args.requests)
        if instructions:
            counted = count_instructions(urls, max(1, args.requests // 2))
            for label, count in counted.items():
                figures[label].instructions = count
        return figures

    share = args.small_share
    sizes = {
        "small": (
            max(1, round(args.films * share)),
            max(1, round(args.people * share)),
            max(1, round(args.credits * share)),
            args.small_articles,
        ),
        "scale": (args.films, args.people, args.credits, args.articles),
    }
    results: dict[str, dict[str, Figures]] = {}
    notes = []
    results["demo"] = {}
    if not args.no_demo:
        with catalog_database("demo", None):
            call_command("load_demo", verbosity=0, stdout=io.StringIO())
            results["demo"] = run("demo size")
    if args.demo_only:
        print(f"{'page':<34} {'queries':>7} {'ms':>8} {'instr.':>9}")
        for label, at_demo in results["demo"].items():
            print(
                f"{label:<34} {at_demo.queries:>7} {at_demo.ms:>8.1f} "
                f"{millions(at_demo.instructions):>9}"
            )
        return
    for size, (films, people, credits, articles) in sizes.items():
        label = f"{size}-{films}-{people}-{credits}-{articles}"
        with catalog_database(label, args.keep) as kept:
            seconds = None if kept else fill(films, people, credits, articles)
            results[size] = run(size)
            notes.append(describe(size, seconds))
    print(f"Database: {connection.vendor}")
    for note in notes:
        print(note)
    print_table(results)


def print_table(results: dict[str, dict[str, Figures]]) -> None:
    print(ROW.format("page", "queries", "", "", "ms", "", "instructions", "", "", ""))
    print(ROW.format("", *SIZES, "small", "scale", *SIZES, "ratio"))
    per_url = []
    missing = Figures(0, 0.0)
    for label, scale in results["scale"].items():
        at_demo = results["demo"].get(label, missing)
        small = results["small"][label]
        if scale.urls:
            growth = ratio(scale.per_url, small.per_url)
            per_url.append((label, small, scale))
        else:
            growth = ratio(scale.instructions, small.instructions)
        print(
            ROW.format(
                label,
                at_demo.queries if label in results["demo"] else "–",
                small.queries,
                scale.queries,
                f"{small.ms:.1f}",
                f"{scale.ms:.1f}",
                millions(at_demo.instructions),
                millions(small.instructions),
                millions(scale.instructions),
                growth,
            )
        )
    if per_url:
        print()
        print("Sitemap pages: URLs and instructions per URL, small and scale")
        for label, small, scale in per_url:
            small_each = "–" if small.per_url is None else f"{small.per_url:,.0f}"
            scale_each = "–" if scale.per_url is None else f"{scale.per_url:,.0f}"
            print(
                f"{label:<36} {small.urls:>7,} {scale.urls:>7,} "
                f"{small_each:>9} {scale_each:>9}"
            )


if __name__ == "__main__":
    main()
