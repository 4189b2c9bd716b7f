"""Sitemaps and robots.txt: exactly the published, public content, with real
modification times, paginated per the protocol."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import views as sitemap_views
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Film
from catalog.sitemaps import FilmSitemap
from filmsite.urls import SITEMAPS
from tests.factories import (
    make_article,
    make_author,
    make_film,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
HOUR = datetime.timedelta(hours=1)


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(client, url) -> list[str]:
    return [loc.text for loc in xml(client, url).iterfind("s:url/s:loc", NS)]


def test_the_index_lists_every_sitemap(client):
    index = xml(client, "/sitemap.xml")
    sitemaps = [loc.text for loc in index.iterfind("s:sitemap/s:loc", NS)]
    assert sitemaps == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("lists", "films", "people", "articles", "news")
    ]


def test_films_and_people_are_listed_with_their_update_times(client):
    film = make_film(slug="jung-e")
    person = make_person(slug="kang-soo-yeon")
    tree = xml(client, "/sitemap-films.xml")
    (url,) = tree.iterfind("s:url", NS)
    assert url.findtext("s:loc", namespaces=NS) == "http://testserver/films/jung-e/"
    assert url.findtext("s:lastmod", namespaces=NS) == film.updated.date().isoformat()
    assert locations(client, "/sitemap-people.xml") == [
        "http://testserver" + person.get_absolute_url()
    ]


def test_only_published_articles_are_listed(client):
    now = timezone.now()
    live = make_article(slug="live", published_at=now - HOUR)
    review = make_article(slug="verdict", kind="review", published_at=now - HOUR)
    make_article(slug="draft", status="draft")
    make_article(slug="scheduled", published_at=now + HOUR)
    assert sorted(locations(client, "/sitemap-articles.xml")) == sorted(
        "http://testserver" + a.get_absolute_url() for a in (live, review)
    )


def test_an_articles_lastmod_is_its_last_real_change(client):
    published = timezone.now() - datetime.timedelta(days=3)
    article = make_article(published_at=published)
    article.refresh_from_db()
    tree = xml(client, "/sitemap-articles.xml")
    lastmod = tree.findtext("s:url/s:lastmod", namespaces=NS)
    assert lastmod == max(article.updated, published).date().isoformat()


def test_list_pages_sections_and_authors_are_listed(client):
    section = make_section(slug="film-news")
    author = make_author(slug="mira-kwon")
    make_article(section=section, authors=[author])
    urls = locations(client, "/sitemap-lists.xml")
    for path in ["/", "/films/", "/people/", "/news/", "/reviews/", "/feeds/"]:
        assert "http://testserver" + path in urls
    assert "http://testserver/sections/film-news/" in urls
    assert "http://testserver/authors/mira-kwon/" in urls


def test_the_news_sitemap_has_the_last_two_days_only(client):
    now = timezone.now()
    fresh = make_article(
        slug="fresh", headline="Teaser & trailer <out>", published_at=now - HOUR
    )
    make_article(slug="old", published_at=now - datetime.timedelta(days=3))
    make_article(slug="draft", status="draft")
    tree = xml(client, "/sitemap-news.xml")
    (url,) = tree.iterfind("s:url", NS)
    assert url.findtext("s:loc", namespaces=NS).endswith("/news/fresh/")
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Filmsite"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Teaser & trailer <out>"
    published = datetime.datetime.fromisoformat(
        news.findtext("news:publication_date", namespaces=NS)
    )
    assert abs(published - fresh.published_at) < datetime.timedelta(seconds=1)


def test_sitemaps_are_paginated_past_their_limit(client, monkeypatch):
    monkeypatch.setattr(FilmSitemap, "limit", 2)
    for n in range(5):
        make_film(slug=f"film-{n}")
    index = [
        loc.text for loc in xml(client, "/sitemap.xml").iterfind("s:sitemap/s:loc", NS)
    ]
    assert "http://testserver/sitemap-films.xml?p=3" in index
    pages = [locations(client, f"/sitemap-films.xml?p={p}") for p in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert client.get("/sitemap-films.xml?p=4").status_code == 404
    assert client.get("/sitemap-films.xml?p=x").status_code == 404
    assert client.get("/sitemap-nonsense.xml").status_code == 404


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/sitemap-films.xml", "/sitemap-articles.xml"]
)
def test_sitemap_query_counts_do_not_grow(client, url):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        make_film()
        make_article()
    small = count()
    for _ in range(60):
        make_film()
        make_article()
    assert count() == small


@pytest.mark.parametrize(
    "url,warm",
    [("/sitemap.xml", 0), ("/sitemap-films.xml?p=2", 1), ("/sitemap-articles.xml", 1)],
)
def test_warm_sitemap_requests_cost_at_most_one_query(client, uncached, url, warm):
    """Between changes the index runs no query (counts and latest changes are
    memoised) and a sitemap page one, by primary key from its first."""
    for _ in range(60):
        make_film()
        make_article()
    FilmSitemap.limit, limit = 25, FilmSitemap.limit
    try:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    finally:
        FilmSitemap.limit = limit
    assert len(queries) == warm


@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul", "America/Los_Angeles"])
def test_sitemap_pages_are_the_bytes_djangos_own_view_writes(client, settings, zone):
    """Films, people and articles sitemaps, written from rows, are byte for
    byte what django.contrib.sitemaps renders from model instances: the same
    addresses (reviews under /reviews/) and the same lastmod days, in the
    site's time zone."""
    settings.TIME_ZONE = zone
    base = timezone.now().replace(hour=23, minute=30)
    for n in range(6):
        film = make_film(slug=f"film-{n}")
        Film.objects.filter(pk=film.pk).update(updated=base + HOUR * n)
        make_person(slug=f"person-{n}")
        make_article(
            slug=f"story-{n}",
            kind="review" if n % 2 else "news",
            published_at=base - HOUR * 30 * n,
            headline="Teaser & trailer <out>" if n == 1 else f"Story {n}",
        )
    for section in ("films", "people", "articles"):
        ours = client.get(f"/sitemap-{section}.xml")
        assert ours.status_code == 200
        request = RequestFactory().get(f"/sitemap-{section}.xml")
        theirs = sitemap_views.sitemap(request, SITEMAPS, section)
        theirs.render()
        assert ours.content == theirs.content, section
        assert ours["Content-Type"] == theirs["Content-Type"]
        assert ours["X-Robots-Tag"] == theirs["X-Robots-Tag"]
    ET.fromstring(client.get("/sitemap-articles.xml").content)
    ours = client.get("/sitemap-news.xml")
    request = RequestFactory().get("/sitemap-news.xml")
    theirs = sitemap_views.sitemap(
        request,
        {"news": SITEMAPS["news"]},
        "news",
        template_name="sitemaps/news.xml",
    )
    theirs.render()
    assert ours.content == theirs.content
    assert b"Teaser &amp; trailer &lt;out&gt;" in ours.content


def test_sitemaps_follow_a_change_on_the_next_request(client):
    """A film added or deleted is in the sitemap, and the index's page count
    and lastmod, on the next request."""
    first = make_film(slug="first")
    assert locations(client, "/sitemap-films.xml") == ["http://testserver/films/first/"]
    second = make_film(slug="second")
    assert locations(client, "/sitemap-films.xml")[-1].endswith("/films/second/")
    index = xml(client, "/sitemap.xml")
    films = next(
        item
        for item in index.iterfind("s:sitemap", NS)
        if item.findtext("s:loc", namespaces=NS).endswith("films.xml")
    )
    second.refresh_from_db()
    lastmod = datetime.datetime.fromisoformat(
        films.findtext("s:lastmod", namespaces=NS)
    )
    assert abs(lastmod - second.updated) < datetime.timedelta(seconds=1)
    first.delete()
    assert locations(client, "/sitemap-films.xml") == [
        "http://testserver/films/second/"
    ]


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_private_pages(
    client,
):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines  # the staff site and article previews
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def test_sitemap_addresses_are_https_behind_a_tls_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["filmsite.example"]
    make_film(slug="jung-e")
    response = client.get(
        "/sitemap-films.xml",
        headers={"X-Forwarded-Proto": "https", "Host": "filmsite.example"},
    )
    assert b"<loc>https://filmsite.example/films/jung-e/</loc>" in response.content
