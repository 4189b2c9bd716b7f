"""Load each page type of the demo site with wrk, served as `make run` serves it.

Migrates a fresh SQLite database in a temporary directory, loads the demo
content and collects the static files there, then starts gunicorn (two sync
workers, DEBUG off, the production settings, a spare local port, no control
socket) twice: once with the page cache on (in files, as `make run` has it, or
in the Redis `--redis` names) and once with it off, and runs wrk against each
page type on both: 2 threads, 8 connections, the given seconds per page. The
site's stylesheet, served by WhiteNoise, is measured in the same run as the
yardstick. Prints one line per page: requests per second and the median and
99th-percentile latency in milliseconds, cached and uncached, and the cached
rate as a share of the static file's. wrk sends `Accept-Encoding: br, gzip`,
as browsers do. Needs wrk (Debian's `wrk` package).

Usage: .venv/bin/python -m benchmarks.pages [seconds per page, default 10]
       [--redis URL]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.common import ROOT, free_port, local_production_settings

PAGES = [
    "/",
    "/films/",
    "/films/jung-e/",
    "/films/jung-e/stills/",
    "/people/kang-soo-yeon/",
    "/news/",
    "/news/netflix-releases-jung-e-set-stills/",
    "/reviews/jung-e-review/",
]
WORKERS = 2
THREADS, CONNECTIONS = 2, 8
ROW = "{:<44} {:>12} {:>7} {:>7} {:>14} {:>7} {:>7} {:>13}"
MILLISECONDS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}


def environment(work: Path) -> dict[str, str]:
    """The production settings with everything in `work`: no developer's .env, a
    throwaway key, plain HTTP on this machine."""
    return {
        **os.environ,
        **local_production_settings(work, "benchmark-only-"),
    }


def prepare(env: dict[str, str]) -> None:
    """Migrate the database, load the demo and collect the static files."""
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["load_demo"],
        ["collectstatic", "--no-input", "-v0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    """Start gunicorn as `make run` does and wait until it answers."""
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "filmsite.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)),
            # Its default control socket would be one per user, in ~/.gunicorn.
            *("--no-control-socket", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(50):
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz"):
                return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    stop(server)
    sys.exit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def milliseconds(value: str) -> str:
    """wrk's "812.00us", "61.23ms" or "1.02s" as "0.8", "61.2", "1020.0"."""
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return f"{float(number) * MILLISECONDS[unit]:.1f}"


def load(url: str, seconds: int) -> tuple[str, str, str]:
    """Requests per second, p50 and p99 in milliseconds, as wrk measures them."""
    output = subprocess.run(
        [
            *("wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s"),
            # What browsers send: WhiteNoise and the page cache both answer
            # with their Brotli bodies.
            *("--header", "Accept-Encoding: br, gzip"),
            *("--latency", url),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if errors := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        print(f"{url}: {errors[1]} responses were errors", file=sys.stderr)
    rate = re.search(r"^Requests/sec:\s+(\S+)", output, re.MULTILINE)[1]
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)[1]
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)[1]
    return rate, milliseconds(p50), milliseconds(p99)


def stylesheet(port: int) -> str:
    """The hashed address of the site's stylesheet, as the home page links it."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
        page = response.read().decode()
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1]


def measure(env: dict[str, str], paths: list[str], seconds: int) -> dict:
    port = free_port()
    server = serve(env, port)
    try:
        if not paths:
            paths = [stylesheet(port)]
        return {path: load(f"http://127.0.0.1:{port}{path}", seconds) for path in paths}
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pages", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "seconds",
        nargs="?",
        type=int,
        default=10,
        help="seconds of load per page (%(default)s)",
    )
    parser.add_argument(
        "--redis", metavar="URL", help="keep the page cache in this Redis database"
    )
    args = parser.parse_args()
    if args.seconds < 1:
        parser.error("seconds must be at least 1")
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    with tempfile.TemporaryDirectory() as work:
        env = environment(Path(work))
        if args.redis:
            env["PAGE_CACHE_URL"] = args.redis
        prepare(env)
        store = "Redis" if args.redis else "files"
        print(
            f"gunicorn, {WORKERS} sync workers, SQLite, page cache in {store}; wrk: "
            f"{THREADS} threads, {CONNECTIONS} connections, {args.seconds}s per page",
            flush=True,
        )
        static = measure(env, [], args.seconds)
        cached = measure(env, PAGES, args.seconds)
        uncached = measure({**env, "DJANGO_PAGE_CACHE": "false"}, PAGES, args.seconds)
    (css, (css_rate, *css_latency)), *_ = static.items()
    print(
        ROW.format(
            "page",
            "cached req/s",
            "p50 ms",
            "p99 ms",
            "uncached req/s",
            "p50 ms",
            "p99 ms",
            "cached/static",
        )
    )
    print(
        ROW.format(
            "static file (the stylesheet)", css_rate, *css_latency, "", "", "", ""
        )
    )
    for path in PAGES:
        share = float(cached[path][0]) / float(css_rate)
        print(ROW.format(path, *cached[path], *uncached[path], f"{share:.2f}"))


if __name__ == "__main__":
    main()
