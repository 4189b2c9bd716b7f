"""The page cache: anonymous readers get stored pages, with validators and
compression, and every change reaches the next request on every worker."""

from __future__ import annotations

import datetime
import gzip
import io
import os
import shutil
import socket
import subprocess
import time

import brotli
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Credit, Film
from core import generation
from core.pagecache import cache_control
from news.models import Article
from tests.catalog.test_admin import film_form
from tests.factories import (
    make_article,
    make_credit,
    make_film,
    make_person,
    make_section,
    make_still,
)
from tests.pages import posted_back, text

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response


@pytest.fixture
def film():
    return make_film(title="Jung_E", slug="jung-e", year=2023)


# Hits


def test_a_second_reader_gets_the_stored_page_without_a_query(client, film):
    first = get(client, "/films/jung-e/")
    second = get(client, "/films/jung-e/")
    assert first.queries > 0
    assert second.queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # What the inner middleware added is stored with the page.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_every_public_page_type_is_stored(client, film, settings):
    make_article(films=[film], section=make_section(slug="film-news"))
    review = make_article(kind=Article.Kind.REVIEW, reviewed_film=film)
    person = make_person(slug="kang-soo-yeon")
    make_credit(film=film, person=person)
    for url in [
        "/",
        "/films/",
        "/films/jung-e/",
        "/films/jung-e/stills/",
        "/people/",
        "/people/kang-soo-yeon/",
        "/news/",
        "/reviews/",
        review.get_absolute_url(),
        "/sections/film-news/",
        "/feeds/",
        "/feeds/latest/",
        "/films/jung-e/feed/atom/",
        "/search/?q=jung",
        "/sitemap.xml",
        "/sitemap-films.xml",
        "/robots.txt",
    ]:
        assert get(client, url).status_code == 200, url
        assert get(client, url).queries == 0, url


def test_validators_answer_304(client, film, settle):
    settle()
    page = get(client, "/films/jung-e/")
    assert page["ETag"].startswith('"')
    assert page["Last-Modified"]
    assert page["Cache-Control"] == cache_control()
    for headers in (
        {"if_none_match": page["ETag"]},
        {"if_modified_since": page["Last-Modified"]},
    ):
        answer = get(client, "/films/jung-e/", **headers)
        assert answer.status_code == 304
        assert answer.content == b""
        assert answer["ETag"] == page["ETag"]
        assert answer.queries == 0


def test_the_first_answer_is_conditional_too(client, film):
    """A page just rendered, not yet from the cache, also answers 304."""
    etag = get(client, "/films/jung-e/")["ETag"]
    caches[settings.PAGE_CACHE_ALIAS].clear()
    assert get(client, "/films/jung-e/", if_none_match=etag).status_code == 304


def test_a_cdn_may_hold_pages_briefly_and_browsers_revalidate(client, film):
    value = get(client, "/films/jung-e/")["Cache-Control"]
    assert value == "public, max-age=0, s-maxage=60, stale-while-revalidate=60"


def test_pages_are_compressed_for_clients_that_accept_it(client, film):
    plain = get(client, "/films/jung-e/")
    zipped = get(client, "/films/jung-e/", accept_encoding="gzip, deflate")
    smaller = get(client, "/films/jung-e/", accept_encoding="gzip, br")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert smaller["Content-Encoding"] == "br"
    assert brotli.decompress(smaller.content) == plain.content
    assert len(smaller.content) < len(plain.content) / 3
    for response in (plain, zipped, smaller):
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
    # One ETag per encoding, and any of them names the same page.
    assert len({plain["ETag"], zipped["ETag"], smaller["ETag"]}) == 3
    again = get(
        client, "/films/jung-e/", accept_encoding="gzip", if_none_match=plain["ETag"]
    )
    assert again.status_code == 304
    assert again["ETag"] == zipped["ETag"]


def test_a_refused_encoding_is_not_sent(client, film):
    response = get(client, "/films/jung-e/", accept_encoding="br;q=0, gzip")
    assert response["Content-Encoding"] == "gzip"


def test_head_is_answered_from_the_cache_without_a_body(client, film):
    page = get(client, "/films/jung-e/")
    head = client.head("/films/jung-e/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(page.content))
    assert head["ETag"] == page["ETag"]


# Never stored


def test_staff_always_get_fresh_pages(admin_client, film):
    assert get(admin_client, "/films/jung-e/").queries > 0
    assert get(admin_client, "/films/jung-e/").queries > 0
    assert "ETag" not in get(admin_client, "/films/jung-e/")


def test_the_admin_and_errors_are_never_stored(client, film):
    for url in ["/admin/login/", "/films/no-such-film/"]:
        get(client, url)
        assert get(client, url).queries > 0 or url.startswith("/admin/"), url
        assert "ETag" not in get(client, url), url


def test_a_reader_with_a_pending_message_gets_a_fresh_page(client, film):
    get(client, "/films/jung-e/")
    client.cookies["messages"] = "something"
    assert get(client, "/films/jung-e/").queries > 0


def test_previews_are_never_stored(admin_client):
    draft = make_article(status=Article.Status.DRAFT, headline="Not yet out")
    preview = f"/admin/news/article/{draft.pk}/preview/"
    first = get(admin_client, preview)
    assert "Not yet out" in text(first)
    assert "ETag" not in first
    assert get(Client(), draft.get_absolute_url()).status_code == 404


# Invalidation, seen by two workers with separate cache clients


@pytest.fixture(params=["files", "redis"])
def workers(request, settings, tmp_path):
    """Two clients, each with its own connection to one shared page cache (a
    folder of files, or Redis when CACHE_URL names one), as two gunicorn
    workers, or two servers, would have."""
    if request.param == "redis":
        if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
            pytest.skip("Redis is the shared cache only when CACHE_URL names it")
        shared = {**settings.CACHES["default"], "KEY_PREFIX": "pages-test"}
    else:
        shared = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        }
    settings.CACHES = {**settings.CACHES, "pages": shared}
    settings.PAGE_CACHE_GENERATION_ALIAS = "pages"
    generation._stores.clear()
    caches["pages"].clear()
    generation.save_dues(())
    generation.bump()
    return Worker(), Worker()


class Worker:
    def __init__(self):
        self.cache = caches.create_connection("pages")
        self.client = Client()

    def get(self, url):
        caches["pages"] = self.cache
        return get(self.client, url)


def seen_by_both(workers, url, change, expected: str, gone: str | None = None):
    """Both workers have the page stored; after `change`, each one's next
    request shows it."""
    first, second = workers
    for worker in (first, second):
        worker.get(url)
    assert second.get(url).queries == 0
    change()
    for worker in (second, first):
        response = worker.get(url)
        assert response.status_code in (200, 404), url
        if expected:
            assert expected in response.content.decode(), url
        if gone:
            assert gone not in response.content.decode(), url


def test_a_published_article_appears_on_every_page_about_it(workers, film):
    section = make_section(slug="film-news")
    for url in ["/", "/news/", "/films/jung-e/", "/sections/film-news/"]:
        seen_by_both(
            workers,
            url,
            lambda: make_article(
                headline="Jung_E stills", films=[film], section=section
            ),
            "Jung_E stills",
        )
        Article.objects.filter(headline="Jung_E stills").delete()


def test_an_unpublished_article_leaves_at_once(workers, film):
    article = make_article(headline="Pulled story", films=[film])

    def unpublish():
        article.status = Article.Status.DRAFT
        article.save()

    seen_by_both(workers, "/news/", unpublish, "", gone="Pulled story")
    assert workers[0].get(article.get_absolute_url()).status_code == 404


def test_an_edit_made_with_queryset_update_is_seen(workers, film):
    """Bulk updates send no signals; the write itself moves the generation."""
    seen_by_both(
        workers,
        "/films/jung-e/",
        lambda: Film.objects.filter(pk=film.pk).update(synopsis="A new synopsis"),
        "A new synopsis",
    )


def test_a_credit_and_a_still_added_are_seen(workers, film):
    person = make_person(name="Kang Soo-yeon")
    seen_by_both(
        workers,
        "/films/jung-e/",
        lambda: make_credit(film=film, person=person, character="Yun Seo-hyun"),
        "Kang Soo-yeon",
    )
    seen_by_both(
        workers,
        "/films/jung-e/stills/",
        lambda: make_still(film, caption="The lab at night"),
        "The lab at night",
    )


def test_a_deleted_film_is_gone_from_its_page_and_the_index(workers, film):
    seen_by_both(workers, "/films/", film.delete, "", gone="Jung_E")
    assert workers[1].get("/films/jung-e/").status_code == 404


def test_a_changed_slug_is_seen_at_both_addresses(workers, film):
    def rename():
        film.slug = "jung-e-2023"
        film.save()

    seen_by_both(workers, "/films/", rename, "/films/jung-e-2023/")
    moved = workers[0].get("/films/jung-e/")
    assert moved.status_code == 301
    assert moved["Location"].endswith("/films/jung-e-2023/")


def test_a_scheduled_article_appears_when_it_falls_due(workers, film):
    """No cron job and no write: the first request after its time shows it."""
    due = timezone.now() + datetime.timedelta(seconds=2)
    make_article(headline="Right on time", published_at=due)
    first, second = workers
    assert "Right on time" not in text(first.get("/news/"))
    assert second.get("/news/").queries == 0
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.1)
    assert "Right on time" in text(second.get("/news/"))
    assert "Right on time" in text(first.get("/news/"))


def test_the_dues_are_found_again_after_the_cache_is_emptied(workers, film):
    due = timezone.now() + datetime.timedelta(hours=1)
    make_article(headline="Later", published_at=due)
    caches["pages"].clear()
    workers[0].get("/news/")
    dues = caches["pages"].get(generation.DUES_KEY)
    assert due.timestamp() in dues


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_is_seen_after_its_commit(workers, admin_client, film):
    """The editor's save commits; the page was rendered meanwhile by a worker
    from the old rows, and is not served after the commit."""
    first, second = workers
    for worker in workers:
        worker.get("/films/jung-e/")
    form = admin_client.get(f"/admin/catalog/film/{film.pk}/change/")
    response = admin_client.post(
        f"/admin/catalog/film/{film.pk}/change/",
        posted_back(form, synopsis="Saved in the admin"),
    )
    assert response.status_code == 302
    assert "Saved in the admin" in text(second.get("/films/jung-e/"))
    assert "Saved in the admin" in text(first.get("/films/jung-e/"))


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_during_a_transaction_is_not_served_after_it(workers, film):
    from django.db import transaction

    first, _ = workers
    with transaction.atomic():
        Film.objects.filter(pk=film.pk).update(synopsis="Committed later")
        # Another worker renders now, from the rows committed before.
        token = caches["pages"].get(generation.TOKEN_KEY)[0]
    assert caches["pages"].get(generation.TOKEN_KEY)[0] != token
    assert "Committed later" in text(first.get("/films/jung-e/"))


def test_writes_to_bookkeeping_tables_keep_the_pages(workers, film, admin_user):
    """Logging in, sessions and the admin's log show on no public page."""
    first, second = workers
    first.get("/films/jung-e/")
    Client().force_login(admin_user)
    assert second.get("/films/jung-e/").queries == 0


def test_midnight_moves_the_generation(settings):
    now = time.time()
    generation.store().call(
        "set", generation.TOKEN_KEY, ("old", now - 90_000, now - 1, False), None
    )
    found = caches[settings.PAGE_CACHE_ALIAS].get_many(
        [generation.TOKEN_KEY, generation.DUES_KEY]
    )
    assert generation.current(found).token != "old"


def test_new_credits_also_reach_the_person_page(workers, film):
    person = make_person(slug="kang-soo-yeon", name="Kang Soo-yeon")
    seen_by_both(
        workers,
        "/people/kang-soo-yeon/",
        lambda: Credit.objects.create(film=film, person=person, department="cast"),
        "Jung_E",
    )


def test_an_admin_film_added_is_listed(workers, admin_client):
    seen_by_both(
        workers,
        "/films/",
        lambda: admin_client.post("/admin/catalog/film/add/", film_form([])),
        "Jung_E",
    )


# A cache that goes away


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A real redis-server of the test's own, which the test stops and starts."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def redis_server(tmp_path, settings):
    if not shutil.which("redis-server"):
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI has every tool
            pytest.fail("redis-server is required")
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        },
    }
    settings.PAGE_CACHE_GENERATION_ALIAS = "pages"
    caches["pages"] = caches.create_connection("pages")
    generation._stores.clear()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_pages_keep_answering_while_redis_is_down(client, film, redis_server):
    assert get(client, "/films/jung-e/").queries > 0
    assert get(client, "/films/jung-e/").queries == 0
    redis_server.stop()
    down = get(client, "/films/jung-e/")
    assert down.status_code == 200
    assert "Jung_E" in text(down)
    assert down["ETag"]
    # Left alone for a while: no connection is tried for the next pages.
    assert not generation.store("pages").available
    Film.objects.filter(pk=film.pk).update(synopsis="Changed while it was down")
    assert "Changed while it was down" in text(get(client, "/films/jung-e/"))
    redis_server.start()
    generation.store("pages").retry_at = 0  # the pause is over
    back = get(client, "/films/jung-e/")
    assert "Changed while it was down" in text(back)
    assert get(client, "/films/jung-e/").queries == 0


def test_an_operator_can_make_every_page_stale(client, film):
    """For a change made by hand in the database, which Django cannot see."""
    from django.core.management import call_command

    get(client, "/films/jung-e/")
    out = io.StringIO()
    call_command("clear_page_cache", stdout=out)
    assert "stale" in out.getvalue()
    assert get(client, "/films/jung-e/").queries > 0


@pytest.mark.parametrize("method", ["post", "put", "delete", "trace", "patch"])
def test_pages_that_only_read_refuse_other_methods(client, film, method):
    for url in ["/", "/films/jung-e/", "/feeds/latest/", "/sitemap.xml", "/search/"]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD"
