"""Measure every public page type at demo size and at catalog scale.

Loads the demo into a throwaway copy of the database DATABASE_URL names (SQLite
when unset) and measures each page type; then generates a large catalog on top
(100,000 films, 300,000 people, 1,000,000 credits, 50,000 articles by default,
with stills, alternative titles, name variants, sections, authors and reviews;
see `benchmarks.catalog`), rebuilds the search index and measures the same pages
again. The demo's own film, person and articles are measured at both sizes, and
the lists' and sitemaps' last pages at each size's own last page.

For each page it prints, at demo size and at scale: the database queries, the
median in-process milliseconds of warm requests through Django's test client,
and, where valgrind is installed, the instructions per request; then the
scale/demo ratio of each. Instructions are counted by callgrind in one process
per size: it dumps its counters whenever the benchmark calls sched_yield()
between pages, so each page's warm requests are counted alone, whatever else
the machine is doing. Progress goes to stderr.

Usage: .venv/bin/python -m benchmarks.scale [--films N] [--people N]
       [--credits N] [--articles N] [--requests N] [--no-instructions]
       [--only SUBSTRING] [--demo-only]
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
from news import views as news_views  # noqa: E402
from news.models import Article  # noqa: E402
from search.indexing import rebuild  # noqa: E402

# The demo's own pages, measured at both sizes.
FILM, PERSON = "jung-e", "kang-soo-yeon"
NEWS, REVIEW = "netflix-releases-jung-e-set-stills", "jung-e-review"
SECTION, AUTHOR = "film-news", "mira-kwon"
SITEMAP_PAGE = 50_000  # URLs per sitemap page (Django's default limit)
# Warm requests before a page is measured: caches, the template loader.
WARM = 2
ROW = "{:<34} {:>7} {:>7} {:>6} {:>8} {:>8} {:>6} {:>9} {:>9} {:>6}"


@dataclass
class Figures:
    queries: int
    ms: float
    instructions: float | None = None


def last_page(count: int, per_page: int) -> int:
    return max(1, math.ceil(count / per_page))


def pages() -> dict[str, str]:
    """Every public page type, by label, at the current size of the catalog."""
    films = Film.objects.count()
    people = Person.objects.count()
    news = Article.objects.published().news().count()
    return {
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
        "article page": f"/news/{NEWS}/",
        "review page": f"/reviews/{REVIEW}/",
        "section page": f"/sections/{SECTION}/",
        "author page": f"/authors/{AUTHOR}/",
        "feed list": "/feeds/",
        "latest feed (RSS)": "/feeds/latest/",
        "latest feed (Atom)": "/feeds/latest/atom/",
        "latest feed (JSON)": "/feeds/latest/json/",
        "film feed": f"/films/{FILM}/feed/",
        "search": "/search/?q=jung",
        "search suggestions": "/search/suggestions/?q=jung",
        "sitemap index": "/sitemap.xml",
        "sitemap: films, last page": "/sitemap-films.xml?p="
        + str(last_page(films, SITEMAP_PAGE)),
        "sitemap: people, last page": "/sitemap-people.xml?p="
        + str(last_page(people, SITEMAP_PAGE)),
        "sitemap: articles": "/sitemap-articles.xml",
        "sitemap: news": "/sitemap-news.xml",
        "sitemap: lists": "/sitemap-lists.xml",
        "robots.txt": "/robots.txt",
    }


def client() -> Client:
    return Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])


def get(browser: Client, url: str) -> None:
    response = browser.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def measure(urls: dict[str, str], requests: int) -> dict[str, Figures]:
    """Queries and median milliseconds of each page, in this process."""
    browser = client()
    results = {}
    progress = Progress("pages", len(urls))
    for label, url in urls.items():
        for _ in range(WARM):
            get(browser, url)
        with CaptureQueriesContext(connection) as queries:
            get(browser, url)
        # Counted now: the next request empties the log the count reads.
        query_count = len(queries)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            get(browser, url)
            times.append((time.perf_counter() - started) * 1000)
        results[label] = Figures(query_count, statistics.median(times))
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


def ratio(scale: float | None, demo: float | None) -> str:
    if scale is None or demo is None or not demo:
        return "–"
    return f"{scale / demo:.2f}"


def millions(value: float | None) -> str:
    return "–" if value is None else f"{value / 1e6:,.1f} M"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--credits", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument(
        "--requests", type=int, default=5, help="measured requests per page"
    )
    parser.add_argument("--no-instructions", action="store_true", help="skip valgrind")
    parser.add_argument(
        "--only", default="", help="measure only pages whose label has this"
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
        urls = {label: url for label, url in pages().items() if args.only in label}
        print(f"Measuring {len(urls)} pages at {size}…", file=sys.stderr)
        figures = measure(urls, args.requests)
        if instructions:
            counted = count_instructions(urls, max(1, args.requests // 2))
            for label, count in counted.items():
                figures[label].instructions = count
        return figures

    with throwaway_database():
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        demo = run("demo size")
        if args.demo_only:
            print(f"{'page':<34} {'queries':>7} {'ms':>8} {'instr.':>9}")
            for label, at_demo in demo.items():
                print(
                    f"{label:<34} {at_demo.queries:>7} {at_demo.ms:>8.1f} "
                    f"{millions(at_demo.instructions):>9}"
                )
            return
        # Cast and crew in the proportion of a real film's credits.
        cast = max(1, round(args.credits / max(args.films, 1) * 0.7))
        crew = max(0, round(args.credits / max(args.films, 1)) - cast)
        started = time.monotonic()
        generate(
            args.films,
            args.people,
            args.articles,
            credits_per_film=cast,
            crew_per_film=crew,
            stills_share=0.2,
            coverage=True,
        )
        rebuild()
        generated = time.monotonic() - started
        scale = run("scale")
        print(f"Database: {connection.vendor}")
        print(
            f"Scale: {Film.objects.count():,} films, {Person.objects.count():,} "
            f"people, {args.credits:,} credits asked, {Article.objects.count():,} "
            f"articles; generated and indexed in {generated:.0f} s"
        )
    print(ROW.format("page", "queries", "", "", "ms", "", "", "instr.", "", ""))
    print(
        ROW.format(
            "",
            "demo",
            "scale",
            "ratio",
            "demo",
            "scale",
            "ratio",
            "demo",
            "scale",
            "ratio",
        )
    )
    for label, at_demo in demo.items():
        at_scale = scale[label]
        print(
            ROW.format(
                label,
                at_demo.queries,
                at_scale.queries,
                ratio(at_scale.queries, at_demo.queries),
                f"{at_demo.ms:.1f}",
                f"{at_scale.ms:.1f}",
                ratio(at_scale.ms, at_demo.ms),
                millions(at_demo.instructions),
                millions(at_scale.instructions),
                ratio(at_scale.instructions, at_demo.instructions),
            )
        )


if __name__ == "__main__":
    main()
