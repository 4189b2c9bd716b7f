"""The feeds, read as feed readers read them: RSS and Atom through feedparser and
the raw XML, JSON Feed through json."""

import datetime
import email.utils
import html
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.pagecache import cache_control
from news.feed_formats import FILM_NAMESPACE
from news.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_film,
    make_person,
    make_section,
    make_still,
)
from tests.pages import text

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
FILM = f"{{{FILM_NAMESPACE}}}"

FORMATS = ["", "atom/", "json/"]  # RSS at the feed's address, then Atom and JSON
SITE_FEEDS = ["/feeds/latest/", "/feeds/news/", "/feeds/reviews/"]
SUBJECT_FEEDS = [
    "/films/jung-e/feed/",
    "/people/kim-hyun-joo/feed/",
    "/sections/film-news/feed/",
    "/authors/mira-kwon/feed/",
]
ALL_FEEDS = SITE_FEEDS + SUBJECT_FEEDS


# Reading feeds


def fetch(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def is_json(response) -> bool:
    return response["Content-Type"].startswith("application/feed+json")


def read(response) -> dict:
    """A feed in any format as a reader sees it: its title and its items."""
    if is_json(response):
        feed = json.loads(response.content)
        return {
            "title": feed["title"],
            "items": [
                {
                    "title": item["title"],
                    "link": item["url"],
                    "id": item["id"],
                    "published": datetime.datetime.fromisoformat(
                        item["date_published"]
                    ),
                    "updated": datetime.datetime.fromisoformat(item["date_modified"]),
                    "summary": item.get("summary", ""),
                    "tags": item["tags"],
                    "authors": [author["name"] for author in item["authors"]],
                }
                for item in feed["items"]
            ],
        }
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return {
        "title": parsed.feed.title,
        "items": [
            {
                "title": entry.title,
                "link": entry.link,
                "id": entry.id,
                "published": as_datetime(entry.published_parsed),
                "updated": as_datetime(entry.updated_parsed),
                "summary": entry.get("summary", ""),
                "tags": [tag.term for tag in entry.get("tags", [])],
                "authors": [author.get("name") for author in entry.get("authors", [])],
            }
            for entry in parsed.entries
        ],
    }


def as_datetime(parsed) -> datetime.datetime:
    return datetime.datetime(*parsed[:6], tzinfo=datetime.UTC)


def xml(response) -> ET.Element:
    """The raw document, which must be well-formed XML."""
    return ET.fromstring(response.content)


def to_second(value: datetime.datetime) -> datetime.datetime:
    return value.replace(microsecond=0)


# Data


@pytest.fixture
def jung_e():
    """Jung_E with a published news article and a review about it, by one author,
    and a draft and a scheduled article of each kind that readers must not see."""
    film = make_film(title="Jung_E", slug="jung-e", year=2023)
    person = make_person(name="Kim Hyun-joo", slug="kim-hyun-joo")
    film_news = make_section(name="Film news", slug="film-news")
    reviews = make_section(name="Reviews", slug="reviews")
    author = make_author(name="Mira Kwon", slug="mira-kwon")
    about = {"films": [film], "people": [person], "authors": [author]}
    news = make_article(
        headline="Netflix shows the set of Jung_E",
        slug="set-of-jung-e",
        standfirst="Stills from the lab.",
        body="The lab of [Jung_E](film:jung-e).",
        section=film_news,
        published_at=timezone.now() - 2 * HOUR,
        **about,
    )
    review = make_article(
        kind=Article.Kind.REVIEW,
        reviewed_film=film,
        rating=Decimal("3.5"),
        headline="Jung_E review: a daughter's machine",
        slug="jung-e-review",
        section=reviews,
        **about,
    )
    for kind, extra in (("news", {}), ("review", {"reviewed_film": film})):
        make_article(
            kind=kind,
            headline=f"Draft {kind}",
            status=Article.Status.DRAFT,
            section=film_news,
            **about,
            **extra,
        )
        make_article(
            kind=kind,
            headline=f"Scheduled {kind}",
            published_at=timezone.now() + HOUR,
            section=film_news,
            **about,
            **extra,
        )
    return {"news": news, "review": review}


NEWS = "Netflix shows the set of Jung_E"
REVIEW = "Jung_E review: a daughter's machine"
EXPECTED = {
    "/feeds/latest/": [REVIEW, NEWS],
    "/feeds/news/": [NEWS],
    "/feeds/reviews/": [REVIEW],
    "/films/jung-e/feed/": [REVIEW, NEWS],
    "/people/kim-hyun-joo/feed/": [REVIEW, NEWS],
    "/sections/film-news/feed/": [NEWS],
    "/authors/mira-kwon/feed/": [REVIEW, NEWS],
}


# What each feed holds


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", ALL_FEEDS)
def test_each_feed_lists_its_published_articles_newest_first(client, jung_e, url, fmt):
    """A subscriber gets the feed's published articles, newest first, with their
    title, address, permanent id and dates; never a draft or a scheduled one."""
    feed = read(fetch(client, url + fmt))
    assert [item["title"] for item in feed["items"]] == EXPECTED[url]
    for item in feed["items"]:
        article = jung_e["review" if item["title"] == REVIEW else "news"]
        assert item["link"] == f"http://testserver{article.get_absolute_url()}"
        assert item["id"] == f"urn:uuid:{article.uid}"
        assert item["published"] == to_second(article.published_at)
        assert item["updated"] == to_second(article.updated)


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/feeds/latest/", "Filmsite"),
        ("/feeds/news/", "Filmsite: news"),
        ("/feeds/reviews/", "Filmsite: reviews"),
        ("/films/jung-e/feed/", "Jung_E (2023) in Filmsite"),
        ("/people/kim-hyun-joo/feed/", "Kim Hyun-joo in Filmsite"),
        ("/sections/film-news/feed/", "Filmsite: Film news"),
        ("/authors/mira-kwon/feed/", "Mira Kwon in Filmsite"),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_feed_says_what_it_follows(client, jung_e, url, title, fmt):
    """The reader shows the feed under a name that says what it follows."""
    assert read(fetch(client, url + fmt))["title"] == title


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_feed_holds_the_latest_30_articles(client, fmt):
    """Only the 30 most recent articles are in a feed."""
    section = make_section()
    now = timezone.now()
    for n in range(32):
        make_article(
            headline=f"Article {n}", section=section, published_at=now - n * HOUR
        )
    titles = [
        item["title"] for item in read(fetch(client, "/feeds/latest/" + fmt))["items"]
    ]
    assert titles == [f"Article {n}" for n in range(30)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_id_survives_editing_slug_headline_and_date(client, fmt):
    """An edited article keeps its id, so readers do not show it again as new;
    only its link follows the new slug."""
    article = make_article(headline="First headline", slug="first-slug")
    before = read(fetch(client, "/feeds/latest/" + fmt))["items"][0]
    article.slug = "second-slug"
    article.headline = "Second headline"
    article.published_at -= HOUR
    article.save()
    after = read(fetch(client, "/feeds/latest/" + fmt))["items"][0]
    assert after["id"] == before["id"] == f"urn:uuid:{article.uid}"
    assert after["title"] == "Second headline"
    assert after["link"] == "http://testserver/news/second-slug/"


def test_a_subscriber_to_a_film_gets_each_new_article_once(client, jung_e):
    """A reader following Jung_E sees each new article about it once, with its
    full content, however often articles are edited; drafts never arrive."""
    url = "/films/jung-e/feed/"
    film = jung_e["news"].films.get()
    seen = {item["id"] for item in read(fetch(client, url))["items"]}
    new = make_article(
        headline="Jung_E tops the charts", body="Number **one**.", films=[film]
    )
    make_article(headline="Still a draft", status="draft", films=[film])
    jung_e["news"].headline = "Netflix shows the set of Jung_E (updated)"
    jung_e["news"].save()
    response = fetch(client, url)
    ids = [item["id"] for item in read(response)["items"]]
    assert len(ids) == len(set(ids))
    assert set(ids) - seen == {f"urn:uuid:{new.uid}"}
    entry = feedparser.parse(response.content).entries[0]
    assert entry.title == "Jung_E tops the charts"
    assert "Number <strong>one</strong>." in entry.content[0].value


# What each item holds


@pytest.mark.parametrize("fmt", FORMATS)
def test_items_carry_the_full_body_with_absolute_links(client, fmt):
    """The whole body is in the item, and its links work outside the site."""
    make_film(title="Jung_E", slug="jung-e")
    make_article(
        slug="lab",
        body="The lab of [Jung_E](film:jung-e), [below](#cast) and "
        "[elsewhere](https://example.com/?a=1&b=2).",
    )
    response = fetch(client, "/feeds/latest/" + fmt)
    if is_json(response):
        content = json.loads(response.content)["items"][0]["content_html"]
    elif fmt == "atom/":
        content = xml(response).find(f"{ATOM}entry/{ATOM}content").text
    else:
        content = xml(response).find(f"channel/item/{CONTENT}encoded").text
    assert '<a href="http://testserver/films/jung-e/">Jung_E</a>' in content
    assert 'href="http://testserver/news/lab/#cast"' in content
    assert 'href="https://example.com/?a=1&amp;b=2"' in content
    assert 'href="/' not in content


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_standfirst_is_the_summary(client, fmt):
    """Readers that show summaries show the standfirst."""
    make_article(standfirst="Stills from the lab & more.")
    item = read(fetch(client, "/feeds/latest/" + fmt))["items"][0]
    assert item["summary"] in (
        "Stills from the lab & more.",  # JSON: plain text
        "Stills from the lab &amp; more.",  # RSS and Atom: HTML
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_author_is_named(client, fmt):
    """An article by two authors names both."""
    make_article(
        authors=[
            make_author(name="Mira Kwon", slug="mira-kwon"),
            make_author(name="Jun Seo", slug="jun-seo"),
        ]
    )
    response = fetch(client, "/feeds/latest/" + fmt)
    if fmt == "":
        item = xml(response).find("channel/item")
        assert [el.text for el in item.findall(f"{DC}creator")] == [
            "Mira Kwon",
            "Jun Seo",
        ]
    else:
        assert read(response)["items"][0]["authors"] == ["Mira Kwon", "Jun Seo"]
    if fmt == "atom/":
        uris = [el.text for el in xml(response).iter(f"{ATOM}uri")]
        assert uris == [
            "http://testserver/authors/mira-kwon/",
            "http://testserver/authors/jun-seo/",
        ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_categories_are_the_section_films_and_people(client, fmt):
    """Readers can file an item under its section and the films and people it is
    about."""
    make_article(
        section=make_section(name="Film news"),
        films=[make_film(title="Jung_E", year=2023)],
        people=[make_person(name="Kim Hyun-joo"), make_person(name="Kang Soo-yeon")],
    )
    item = read(fetch(client, "/feeds/latest/" + fmt))["items"][0]
    assert set(item["tags"]) == {
        "Film news",
        "Jung_E (2023)",
        "Kim Hyun-joo",
        "Kang Soo-yeon",
    }


@pytest.mark.parametrize("fmt", ["", "atom/"])
def test_a_review_carries_its_film_and_rating(client, fmt):
    """A review names the film, its year and the rating in film: elements, and
    says them in the summary for readers that ignore those."""
    film = make_film(title="Jung_E", slug="jung-e", year=2023)
    make_article(
        kind="review",
        reviewed_film=film,
        rating=Decimal("3.5"),
        standfirst="A daughter's machine.",
    )
    response = fetch(client, "/feeds/reviews/" + fmt)
    item = xml(response).find("channel/item" if fmt == "" else f"{ATOM}entry")
    assert item.find(f"{FILM}title").text == "Jung_E"
    assert item.find(f"{FILM}year").text == "2023"
    assert item.find(f"{FILM}rating").text == "3.5"
    assert item.find(f"{FILM}rating").get("best") == "5"
    assert item.find(f"{FILM}link").text == "http://testserver/films/jung-e/"
    summary = read(response)["items"][0]["summary"]
    assert summary == "Review of Jung_E (2023), rated 3.5/5. A daughter's machine."


def test_a_review_in_json_feed_carries_its_film_and_rating(client):
    """JSON Feed readers get the review's film and rating in `_filmsite`."""
    film = make_film(title="Jung_E", slug="jung-e", year=2023)
    make_article(kind="review", reviewed_film=film, rating=Decimal("4.0"))
    make_article(kind="review", reviewed_film=make_film(title="Unrated"))
    unrated, rated = json.loads(fetch(client, "/feeds/reviews/json/").content)["items"]
    assert rated["summary"] == "Review of Jung_E (2023), rated 4/5."
    assert rated["_filmsite"] == {
        "reviewed_film": {
            "title": "Jung_E",
            "year": 2023,
            "url": "http://testserver/films/jung-e/",
        },
        "rating": 4.0,
        "best_rating": 5,
    }
    assert unrated["summary"] == "Review of Unrated."
    assert unrated["_filmsite"]["rating"] is None


# Hostile text

HOSTILE_TITLES = [
    "Tom & Jerry",
    "<b>x</b> is not bold",
    "End of data ]]> here",
    "<script>alert(1)</script>",
    "1 &lt; 2 &amp; done",
    "Emoji 🎬🍿 and a ZWJ 👩‍👩‍👧",
    "عرض فيلم Jung_E",  # Arabic, right to left
    "סרט חדש: Jung_E",  # Hebrew, right to left
    "정이 리뷰",  # Hangul
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_titles_read_exactly_as_typed(client, fmt):
    """Markup, entities, CDATA ends, emoji and any script in a headline or
    standfirst come out as the literal text, in a well-formed feed."""
    now = timezone.now()
    for n, title in enumerate(HOSTILE_TITLES):
        make_article(
            headline=title,
            standfirst=title,
            body=title,
            published_at=now - n * HOUR,
        )
    response = fetch(client, "/feeds/latest/" + fmt)
    if not is_json(response):
        xml(response)
    items = read(response)["items"]
    assert [item["title"] for item in items] == HOSTILE_TITLES
    # The summary is HTML in RSS and Atom: shown, it reads as typed too.
    summaries = [item["summary"] for item in items]
    if not is_json(response):
        summaries = [html.unescape(summary) for summary in summaries]
    assert summaries == HOSTILE_TITLES


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", ["/feeds/latest/", "/authors/word/feed/"])
def test_control_characters_never_break_a_feed(client, fmt, url):
    """Control characters pasted from Word, in an old row that predates the
    clean-up on save or in a name from the catalog, are dropped and the feed is
    well-formed."""
    author = make_author(name="Mira\x0bKwon", slug="word")
    article = make_article(
        authors=[author],
        section=make_section(name="Film\x1fnews"),
        films=[make_film(title="Jung\x0b_E")],
        people=[make_person(name="Kim\x1fHyun-joo")],
        kind="review",
        reviewed_film=make_film(title="Jung\x0b_E"),
    )
    # As old rows hold it: written without Article.save.
    Article.objects.filter(pk=article.pk).update(
        headline="Pasted\x0b from\x1f Word",
        standfirst="A\x0b standfirst",
        body_html="<p>A\x1f body</p>",
    )
    response = fetch(client, url + fmt)
    assert "\x0b" not in response.content.decode()
    assert "\x1f" not in response.content.decode()
    feed = read(response)
    (item,) = feed["items"]
    assert item["title"] == "Pasted from Word"
    assert item["authors"] == ["MiraKwon"]
    assert set(item["tags"]) == {"Filmnews", "Jung_E", "KimHyun-joo"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", ["/feeds/latest/", "/films/quiet/feed/"])
def test_an_empty_feed_is_valid(client, fmt, url):
    """A feed with nothing in it yet is still a valid feed a reader can follow."""
    make_film(title="Quiet", slug="quiet")
    response = fetch(client, url + fmt)
    assert read(response)["items"] == []
    if not is_json(response):
        xml(response)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["films", "people", "sections", "authors"])
def test_unknown_subjects_are_404(client, kind, fmt):
    """A feed of a film, person, section or author that does not exist is 404."""
    assert client.get(f"/{kind}/no-such-slug/feed/{fmt}").status_code == 404


def test_feeds_are_read_only(client):
    """A feed answers GET and HEAD only."""
    assert client.post("/feeds/latest/").status_code == 405
    assert client.head("/feeds/latest/").status_code == 200


# The specifications' required elements, in the raw XML


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_rss_has_the_required_elements(client, jung_e, url):
    """RSS 2.0: channel title, link and description, a self link, and items with
    a non-permalink guid and an RFC 822 pubDate with its time zone."""
    response = fetch(client, url)
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = xml(response)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description"):
        assert channel.find(name).text
    assert channel.find("link").text.startswith("http://testserver/")
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"http://testserver{url}"
    items = channel.findall("item")
    assert items
    for item in items:
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false"
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", guid.text)
        published = email.utils.parsedate_to_datetime(item.find("pubDate").text)
        assert published.tzinfo is not None
        assert item.find("title").text
        assert item.find("link").text.startswith("http://testserver/")


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_atom_has_the_required_elements(client, jung_e, url):
    """Atom 1.0: feed id, title, RFC 3339 updated, a self link and an author, and
    entries with id, title, updated and an alternate link."""
    response = fetch(client, url + "atom/")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = xml(response)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}id").text == f"http://testserver{url}atom/"
    assert root.find(f"{ATOM}title").text
    assert_rfc3339(root.find(f"{ATOM}updated").text)
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"http://testserver{url}atom/"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Filmsite"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", entry.find(f"{ATOM}id").text)
        assert entry.find(f"{ATOM}title").text
        assert_rfc3339(entry.find(f"{ATOM}updated").text)
        assert_rfc3339(entry.find(f"{ATOM}published").text)
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link.get("href").startswith("http://testserver/")


def assert_rfc3339(value: str) -> None:
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value
    ), value


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_json_feed_has_the_required_fields(client, jung_e, url):
    """JSON Feed 1.1: version, title, home page and feed URLs, and items with an
    id, a URL, HTML content and RFC 3339 dates."""
    response = fetch(client, url + "json/")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"]
    assert feed["home_page_url"].startswith("http://testserver/")
    assert feed["feed_url"] == f"http://testserver{url}json/"
    assert feed["items"]
    for item in feed["items"]:
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", item["id"])
        assert item["url"].startswith("http://testserver/")
        assert isinstance(item["content_html"], str)
        assert_rfc3339(item["date_published"])
        assert_rfc3339(item["date_modified"])


# Conditional GET


@pytest.fixture
def settled():
    """An article last edited yesterday, so a new change is a later second."""
    article = make_article(published_at=timezone.now() - 25 * HOUR)
    Article.objects.filter(pk=article.pk).update(updated=timezone.now() - 24 * HOUR)
    article.refresh_from_db()
    return article


def assert_not_modified(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_repeat_request_is_answered_not_modified(client, settled, settle, fmt):
    """A reader that sends back the validators gets 304 and an empty body."""
    url = "/feeds/latest/" + fmt
    settle()
    first = fetch(client, url)
    assert first["ETag"]
    assert first["Last-Modified"]
    # Readers revalidate every time; a CDN may hold the feed for a minute.
    assert first["Cache-Control"] == cache_control()
    assert_not_modified(client, url, if_modified_since=first["Last-Modified"])
    assert_not_modified(client, url, if_none_match=first["ETag"])


def publish(article: Article) -> list[str]:
    make_article(headline="New", section=article.section)
    return ["New", article.headline]


def edit(article: Article) -> list[str]:
    article.headline = "Edited"
    article.save()
    return ["Edited"]


def unpublish(article: Article) -> list[str]:
    article.status = Article.Status.DRAFT
    article.save()
    return []


def fall_due(article: Article) -> list[str]:
    # Saved long ago for a time that has now come: only the clock moves.
    Article.objects.filter(headline="Scheduled").update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return ["Scheduled", article.headline]


@pytest.mark.parametrize("change", [publish, edit, unpublish, fall_due])
@pytest.mark.parametrize("validator", ["ETag", "Last-Modified"])
def test_a_change_is_fetched_again(client, settled, settle, change, validator):
    """After an article is published, edited or unpublished, or a scheduled one
    falls due, the validators a reader holds get the new feed, not 304."""
    scheduled = make_article(
        headline="Scheduled",
        section=settled.section,
        published_at=timezone.now() + HOUR,
    )
    Article.objects.filter(pk=scheduled.pk).update(updated=settled.updated)
    url = f"/sections/{settled.section.slug}/feed/"
    header = "if_none_match" if validator == "ETag" else "if_modified_since"
    settle()
    held = fetch(client, url)[validator]
    assert_not_modified(client, url, **{header: held})
    expected = change(settled)
    response = client.get(url, headers={header: held})
    assert response.status_code == 200
    assert [item["title"] for item in read(response)["items"]] == expected


# Lead images


def test_every_format_carries_the_lead_image_as_an_absolute_jpeg(client):
    film = make_film(slug="jung-e")
    still = make_still(film, width=1600, height=900)
    make_article(lead_image=still, films=[film], headline="Set stills")
    expected = "http://testserver/media/" + still.image.name.replace(
        "original.jpg", "1024.jpg"
    )
    rss = feedparser.parse(fetch(client, "/feeds/latest/").content)
    (enclosure,) = rss.entries[0].enclosures
    assert enclosure.href == expected
    assert enclosure.type == "image/jpeg"
    assert enclosure.length == "12000"
    atom = feedparser.parse(fetch(client, "/feeds/latest/atom/").content)
    assert [e.href for e in atom.entries[0].enclosures] == [expected]
    feed = json.loads(fetch(client, "/feeds/latest/json/").content)
    assert feed["items"][0]["image"] == expected


def test_an_article_without_a_lead_image_has_no_enclosure(client):
    make_article()
    rss = feedparser.parse(fetch(client, "/feeds/latest/").content)
    assert rss.entries[0].enclosures == []
    assert (
        "image"
        not in json.loads(fetch(client, "/feeds/latest/json/").content)["items"][0]
    )


# Query counts


def add_articles(count: int, **about) -> None:
    """`count` published articles, each a review by two authors about a film and
    two people, as a busy feed holds them."""
    for _ in range(count):
        make_article(
            kind="review",
            reviewed_film=about["film"],
            section=about["section"],
            authors=about["authors"],
            films=[about["film"]],
            people=about["people"],
            lead_image=make_still(about["film"]),
        )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # 1 the articles with their section, reviewed film and lead image,
        # 2 bylines with their authors, 3 films, 4 people;
        ("/feeds/latest/", 4),
        ("/feeds/reviews/", 4),
        # and first the film, person, section or author named in the URL.
        ("/films/jung-e/feed/", 5),
        ("/people/kim-hyun-joo/feed/", 5),
        ("/sections/film-news/feed/", 5),
        ("/authors/mira-kwon/feed/", 5),
    ],
)
def test_feed_query_count_does_not_grow(client, url, queries, fmt):
    """A feed runs the same few queries with 3 items as with 30."""
    about = {
        "film": make_film(slug="jung-e"),
        "section": make_section(slug="film-news"),
        "authors": [make_author(slug="mira-kwon"), make_author()],
        "people": [make_person(slug="kim-hyun-joo"), make_person()],
    }
    for total in (3, 30):
        add_articles(total - Article.objects.count(), **about)
        with CaptureQueriesContext(connection) as captured:
            response = fetch(client, url + fmt)
        assert len(read(response)["items"]) == total
        assert len(captured) == queries, [query["sql"] for query in captured]


def test_a_not_modified_answer_costs_no_query(client):
    """A reader that is up to date is answered from the page cache."""
    make_article(section=make_section(slug="film-news"))
    for url in ("/feeds/latest/", "/sections/film-news/feed/"):
        etag = fetch(client, url)["ETag"]
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers={"if_none_match": etag}).status_code == 304
        assert len(captured) == 0


# The feeds page and autodiscovery


def test_feeds_page_lists_the_site_and_section_feeds(client):
    """/feeds/ lists every site-wide and section feed with addresses to copy, and
    explains the feeds of films, people and authors."""
    make_section(name="Film news", slug="film-news")
    make_section(name="Interviews", slug="interviews")
    response = client.get("/feeds/")
    assert response.status_code == 200
    markup = response.content.decode()
    for url in (
        "/feeds/latest/",
        "/feeds/news/",
        "/feeds/reviews/",
        "/sections/film-news/feed/",
        "/sections/interviews/feed/",
    ):
        for fmt in FORMATS:
            absolute = f"http://testserver{url}{fmt}"
            assert f'<a href="{absolute}"><code>{absolute}</code></a>' in markup
    assert "Film news" in text(response)
    assert "Interviews" in text(response)
    assert "<code>http://testserver/films/<var>film</var>/feed/</code>" in markup
    assert "<code>http://testserver/people/<var>person</var>/feed/</code>" in markup


def test_feeds_page_query_count_does_not_grow(count_queries):
    """The feeds page runs one query however many sections there are."""
    make_section()
    assert count_queries("/feeds/") == 1
    for _ in range(5):
        make_section()
    assert count_queries("/feeds/") == 1


SITE_FEED_LINKS = [
    '<link rel="alternate" type="application/rss+xml" '
    'title="Filmsite: latest articles (RSS)" href="/feeds/latest/">',
    '<link rel="alternate" type="application/atom+xml" '
    'title="Filmsite: latest articles (Atom)" href="/feeds/latest/atom/">',
]


@pytest.mark.parametrize(
    ("page", "subject", "feed"),
    [
        ("/", None, None),
        ("/films/jung-e/", "articles about Jung_E", "/films/jung-e/feed/"),
        (
            "/people/kim-hyun-joo/",
            "articles about Kim Hyun-joo",
            "/people/kim-hyun-joo/feed/",
        ),
        ("/sections/film-news/", "articles in Film news", "/sections/film-news/feed/"),
        ("/authors/mira-kwon/", "articles by Mira Kwon", "/authors/mira-kwon/feed/"),
    ],
)
def test_pages_advertise_their_feeds(client, jung_e, page, subject, feed):
    """Feed readers find the site feed on every page, and a film's, person's,
    section's or author's own feed on its page, which also links to it."""
    response = client.get(page)
    assert response.status_code == 200
    markup = response.content.decode()
    head = markup[: markup.index("</head>")]
    for link in SITE_FEED_LINKS:
        assert link in head
    assert '<a href="/feeds/">Feeds</a>' in markup
    if subject:
        for kind, label, suffix in (
            ("rss+xml", "RSS", ""),
            ("atom+xml", "Atom", "atom/"),
            ("feed+json", "JSON Feed", "json/"),
        ):
            assert (
                f'<link rel="alternate" type="application/{kind}" '
                f'title="Filmsite: {subject} ({label})" href="{feed}{suffix}">'
            ) in head
        assert (
            f'href="{feed}" type="application/rss+xml">Follow {subject} by RSS</a>'
            in markup
        )
