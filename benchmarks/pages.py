"""Load each page type of the demo site with wrk, served as `make run` serves it.

Migrates a fresh SQLite database in a temporary directory, loads the demo
content and collects the static files there, then starts gunicorn (two sync
workers, DEBUG off, the production settings, a spare local port, no control
socket) and runs wrk against each page type: 2 threads, 8 connections, the given
seconds per page. Prints one line per page: requests per second and the median
and 99th-percentile latency in milliseconds. Needs wrk (Debian's `wrk` package).

Usage: .venv/bin/python -m benchmarks.pages [seconds per page, default 10]
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
ROW = "{:<48} {:>10} {:>10} {:>10}"
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
    args = parser.parse_args()
    if args.seconds < 1:
        parser.error("seconds must be at least 1")
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    with tempfile.TemporaryDirectory() as work:
        env = environment(Path(work))
        prepare(env)
        port = free_port()
        server = serve(env, port)
        try:
            print(
                f"gunicorn, {WORKERS} sync workers, SQLite; wrk: {THREADS} threads, "
                f"{CONNECTIONS} connections, {args.seconds}s per page"
            )
            print(ROW.format("page", "req/s", "p50 ms", "p99 ms"))
            for path in PAGES:
                url = f"http://127.0.0.1:{port}{path}"
                print(ROW.format(path, *load(url, args.seconds)), flush=True)
        finally:
            stop(server)


if __name__ == "__main__":
    main()
