"""What every page shares: the site's name, the main menu, the site feeds."""

import re

import feedparser
import pytest

from core.text import strip_control_characters
from tests.factories import make_article, make_film, make_person

pytestmark = pytest.mark.django_db


def current_menu_items(response) -> list[str]:
    nav = re.search(r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S)
    return re.findall(r'aria-current="page">([^<]+)</a>', nav.group(0))


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/news/", ["News"]),
        ("/reviews/", ["Reviews"]),
        ("/films/", ["Films"]),
        ("/films/jung-e/", ["Films"]),
        ("/films/jung-e/stills/", ["Films"]),
        ("/people/", ["People"]),
        ("/people/kim-hyun-joo/", ["People"]),
        ("/", []),
        ("/search/?q=jung", []),
        ("/feeds/", []),
    ],
)
def test_the_menu_marks_the_part_of_the_site_a_page_is_in(client, url, current):
    make_film(title="Jung_E", slug="jung-e")
    make_person(name="Kim Hyun-joo", slug="kim-hyun-joo")

    assert current_menu_items(client.get(url)) == current


def test_an_address_the_site_does_not_have_marks_no_menu_item(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert current_menu_items(response) == []


def test_the_news_item_is_current_on_an_article_and_reviews_on_a_review(client):
    film = make_film(title="Jung_E")
    make_article(slug="teaser", headline="A teaser")
    make_article(slug="the-review", kind="review", reviewed_film=film)

    assert current_menu_items(client.get("/news/teaser/")) == ["News"]
    assert current_menu_items(client.get("/reviews/the-review/")) == ["Reviews"]


def test_the_site_name_comes_from_one_setting(client, settings):
    """Renaming the magazine is one setting: pages, link previews, the feeds,
    JSON-LD and OpenSearch all follow it."""
    settings.SITE_NAME = "Cinema Weekly"
    film = make_film(title="Jung_E", slug="jung-e")
    make_article(headline="Jung_E arrives", films=[film])

    page = client.get("/films/jung-e/").content.decode()
    feed = feedparser.parse(client.get("/feeds/latest/atom/").content)
    opensearch = client.get("/search/opensearch.xml").content.decode()
    home = client.get("/").content.decode()

    assert "<title>Jung_E · Cinema Weekly</title>" in page
    assert '<meta property="og:site_name" content="Cinema Weekly">' in page
    assert 'title="Cinema Weekly: latest articles (RSS)"' in page
    assert 'title="Cinema Weekly: articles about Jung_E (RSS)"' in page
    assert '"@type": "WebSite", "name": "Cinema Weekly"' in home
    assert "Filmsite" not in page
    assert feed.feed.title == "Cinema Weekly"
    assert feed.feed.author == "Cinema Weekly"
    assert "<ShortName>Cinema Weekly</ShortName>" in opensearch


def test_the_500_page_names_the_site(client, settings, monkeypatch):
    settings.SITE_NAME = "Cinema Weekly"
    client.raise_request_exception = False

    def fail(*args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr("news.views.Article.objects.published", fail)
    response = client.get("/")

    assert response.status_code == 500
    assert "<title>Something went wrong · Cinema Weekly</title>" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("raw", "keep", "expected"),
    [
        ("Jung\x00_E", "\t\n\r", "Jung_E"),
        ("line\none\ttab\r\n", "\t\n\r", "line\none\ttab\r\n"),
        ("java\tscript:\n", "", "javascript:"),
        ("esc\x1b[31m del\x7f c1\x85", "\t\n\r", "esc[31m del c1"),
        ("not\ufffe\uffffchars", "\t\n\r", "notchars"),
        ("lone\ud800surrogate", "\t\n\r", "lonesurrogate"),
        ("정이 · Jung_E ½", "\t\n\r", "정이 · Jung_E ½"),
    ],
)
def test_control_characters_are_removed_and_text_is_kept(raw, keep, expected):
    assert strip_control_characters(raw, keep=keep) == expected


def test_invisible_characters_go_only_when_asked():
    raw = "zero\u200bwidth\ufeff private\ue000"

    assert strip_control_characters(raw) == raw
    assert strip_control_characters(raw, invisible=True) == "zerowidth private"
