"""The demo set-up served the way `make run` serves it: collected static files,
DEBUG off and gunicorn, checked over real HTTP."""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.common import free_port, local_production_settings

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def fetch(
    url: str, host: str = "127.0.0.1", method: str = "GET"
) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Host": host}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A gunicorn server over a fresh SQLite database with the demo content."""
    tmp = tmp_path_factory.mktemp("production")
    env = {
        "PATH": os.environ["PATH"],
        **local_production_settings(tmp, "smoke-test-"),
    }
    manage = [sys.executable, "manage.py"]
    for command in [["migrate"], ["load_demo"], ["collectstatic", "--no-input"]]:
        subprocess.run(
            manage + command, cwd=BASE_DIR, env=env, check=True, capture_output=True
        )
    port = free_port()
    log = tmp / "gunicorn.log"
    process = subprocess.Popen(
        # No control socket: by default gunicorn puts one in the home folder,
        # shared by every gunicorn on the machine.
        [
            BIN / "gunicorn",
            "filmsite.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/films/",
        "/films/jung-e/",
        "/films/jung-e/stills/",
        "/people/",
        "/people/kang-soo-yeon/",
    ],
)
def test_every_page_type_is_served(server, path):
    """Each page type answers 200 with DEBUG off and collected static files."""
    status, headers, body = fetch(server[0] + path)
    assert status == 200
    assert "Content-Security-Policy" in headers


def test_the_film_page_shows_its_cast(server):
    """The demo's Jung_E page names its cast and their characters."""
    _, _, body = fetch(server[0] + "/films/jung-e/")
    assert "Kim Hyun-joo" in body
    assert "Yun Jung-yi" in body


def test_static_files_have_hashed_names_and_long_cache_lifetimes(server):
    """The stylesheet is served under a content-hashed name, compressed and cached."""
    _, _, body = fetch(server[0] + "/")
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert css, "the page does not link a hashed stylesheet"
    status, headers, _ = fetch(server[0] + css.group(1))
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]


def fetch_bytes(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_the_demo_pictures_are_served_as_images_only(server):
    """Every rendition a page links is served by the site itself, as an image
    that can do nothing else, cached for a year."""
    _, _, body = fetch(server[0] + "/films/jung-e/")
    urls = set(re.findall(r"(/media/images/\S+?\.(?:webp|jpg)) \d+w", body))
    assert len(urls) > 10
    for url in sorted(urls)[:6]:
        status, headers, content = fetch_bytes(server[0] + url)
        assert status == 200
        expected = "image/webp" if url.endswith(".webp") else "image/jpeg"
        assert headers["Content-Type"] == expected
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert "immutable" in headers["Cache-Control"]
        assert len(content) == int(headers["Content-Length"]) > 0


def test_unknown_pages_get_the_site_404_without_debug_details(server):
    """An unknown address gets the site's 404 page, not Django's debug page."""
    status, _, body = fetch(server[0] + "/films/no-such-film/")
    assert status == 404
    assert "Page not found" in body
    assert "DEBUG" not in body


def test_unknown_hosts_are_refused(server):
    """A Host header the site does not serve gets 400."""
    status, _, _ = fetch(server[0] + "/", host="evil.example")
    assert status == 400


def test_head_requests_are_answered_without_a_body(server):
    """HEAD gets GET's length and no body, so the server has nothing to drop."""
    base, log = server
    _, get_headers, _ = fetch(base + "/films/")
    status, headers, body = fetch(base + "/films/", method="HEAD")
    assert status == 200
    assert body == ""
    assert headers["Content-Length"] == get_headers["Content-Length"]
    fetch(base + "/healthz", method="HEAD")
    assert "no-body response" not in log.read_text()
