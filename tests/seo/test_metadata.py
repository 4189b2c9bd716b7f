"""Every public page describes itself: a unique title and description, a
canonical URL, a link preview and JSON-LD that matches the data."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from catalog.models import Film, Person
from news.models import Article
from seo.templatetags.seo import summary
from tests.factories import make_article, make_author, make_film, make_still

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The metadata of a page: title, meta, canonical, JSON-LD and crumbs."""

    def __init__(self, html: str):
        super().__init__()
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.jsonld: list[dict] = []
        self.crumbs: list[str] = []
        self._in = None
        self._in_crumbs = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.links["canonical"] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "jsonld"
        elif tag == "nav" and attrs.get("aria-label") == "Breadcrumb":
            self._in_crumbs = True
        elif tag == "a" and self._in_crumbs:
            self._in = "crumb"

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_crumbs = False
        if tag in ("title", "script", "a"):
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "jsonld":
            self.jsonld.append(json.loads(data))
        elif self._in == "crumb":
            self.crumbs.append(data.strip())

    def one(self, key: str) -> str:
        (value,) = self.meta[key]
        return value

    def ld(self, kind: str) -> dict:
        (found,) = [d for d in self.jsonld if d["@type"] == kind]
        return found


def head(client, url, **headers) -> Head:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return Head(response.content.decode())


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


PUBLIC_PAGES = [
    "/",
    "/films/",
    "/films/jung-e/",
    "/films/jung-e/stills/",
    "/people/",
    "/people/kang-soo-yeon/",
    "/people/yeon-sang-ho/",
    "/news/",
    "/news/netflix-releases-jung-e-set-stills/",
    "/reviews/",
    "/reviews/jung-e-review/",
    "/sections/film-news/",
    "/authors/mira-kwon/",
    "/feeds/",
]


def test_every_page_has_a_unique_title_description_canonical_and_preview(client, demo):
    titles, canonicals = set(), set()
    for url in PUBLIC_PAGES:
        page = head(client, url)
        assert page.title not in titles, url
        titles.add(page.title)
        assert page.links["canonical"] == "http://testserver" + url
        canonicals.add(page.links["canonical"])
        description = page.one("description")
        assert 0 < len(description) <= 160, url
        assert page.one("og:title") and page.one("og:url") == page.links["canonical"]
        assert page.one("twitter:card") in ("summary", "summary_large_image")
        # Breadcrumbs in JSON-LD match the visible ones, where there are any.
        if page.crumbs:
            crumbs = page.ld("BreadcrumbList")["itemListElement"]
            assert [c["name"] for c in crumbs] == page.crumbs, url
            assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
            assert crumbs[-1]["item"] == page.links["canonical"]


def test_the_canonical_url_drops_tracking_parameters_but_keeps_the_page(client, demo):
    page = head(client, "/films/jung-e/?utm_source=newsletter&fbclid=abc")
    assert page.links["canonical"] == "http://testserver/films/jung-e/"
    for n in range(30):
        make_film(slug=f"extra-{n}")
    second = head(client, "/films/?page=2&utm_campaign=x")
    assert second.links["canonical"] == "http://testserver/films/?page=2"
    assert second.one("robots") == "noindex, follow"
    assert "robots" not in head(client, "/films/").meta


def test_the_canonical_url_is_https_behind_a_tls_proxy(client, demo, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["filmsite.example"]
    page = head(
        client,
        "/films/jung-e/",
        **{"X-Forwarded-Proto": "https", "Host": "filmsite.example"},
    )
    assert page.links["canonical"] == "https://filmsite.example/films/jung-e/"
    assert page.one("og:image").startswith("https://filmsite.example/media/")


def test_the_film_page_is_a_movie(client, demo):
    film = Film.objects.get(slug="jung-e")
    page = head(client, "/films/jung-e/")
    assert page.one("og:type") == "video.movie"
    assert page.one("og:image").startswith("http://testserver/media/images/")
    assert page.one("og:image:alt") == film.poster.alt_text
    assert int(page.one("og:image:width")) >= 300
    movie = page.ld("Movie")
    assert movie["name"] == "Jung_E"
    assert movie["url"] == "http://testserver/films/jung-e/"
    assert {"정이", "JUNG_E", "Jung-E"} <= set(movie["alternateName"])
    assert movie["datePublished"] == "2023-01-20"
    assert movie["duration"] == "PT1H39M"
    assert set(movie["genre"]) == {"Science fiction", "Action", "Drama"}
    assert [d["name"] for d in movie["director"]] == ["Yeon Sang-ho"]
    roles = {
        a["actor"]["name"]: a["characterName"]
        for a in movie["actor"]
        if a["@type"] == "PerformanceRole"
    }
    assert roles["Kang Soo-yeon"] == "Yun Seo-hyun"
    assert roles["Kim Hyun-joo"] == "Yun Jung-yi"
    assert {c["name"] for c in movie["productionCompany"]} == {
        "Climax Studio",
        "Dexter Studio",
    }
    (review,) = movie["review"]
    assert review["url"] == "http://testserver/reviews/jung-e-review/"
    assert review["reviewRating"]["ratingValue"] == float(
        Article.objects.get(slug="jung-e-review").rating
    )
    assert review["author"][0]["name"] == "Daniel Reyes"
    assert all(url.startswith("http://testserver/media/") for url in movie["image"])


def test_the_person_page_is_a_person(client, demo):
    person = Person.objects.get(slug="kang-soo-yeon")
    page = head(client, "/people/kang-soo-yeon/")
    assert page.one("og:type") == "profile"
    data = page.ld("Person")
    assert data["name"] == "Kang Soo-yeon"
    assert "강수연" in data["alternateName"]
    assert {v.name for v in person.name_variants.all()} <= set(data["alternateName"])
    assert data["birthDate"] == "1966-08-18"
    assert data["deathDate"] == "2022-05-07"
    assert data["image"][0].startswith("http://testserver/media/images/")
    works = data["@reverse"]["actor"]
    assert {"name": "Jung_E"}.items() <= works[0].items() or any(
        w["name"] == "Jung_E" for w in works
    )
    director = head(client, "/people/yeon-sang-ho/").ld("Person")
    assert any(w["name"] == "Jung_E" for w in director["@reverse"]["director"])


def test_descriptions_keep_the_title_as_written(client, demo):
    page = head(client, "/people/kim-hyun-joo/")
    assert "film Jung_E (2023)" in page.one("description")
    assert page.one("og:description") == page.one("description")


def test_a_news_article_is_a_news_article(client, demo):
    article = Article.objects.get(slug="netflix-releases-jung-e-set-stills")
    page = head(client, article.get_absolute_url())
    assert page.one("og:type") == "article"
    assert page.one("article:published_time") == article.published_at.isoformat()
    assert page.one("article:author") == "http://testserver/authors/mira-kwon/"
    assert page.one("og:image:alt") == article.lead_image.alt_text
    data = page.ld("NewsArticle")
    assert data["headline"] == article.headline
    assert data["description"] == article.standfirst
    assert data["datePublished"].startswith(article.published_at.date().isoformat())
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Mira Kwon",
            "url": "http://testserver/authors/mira-kwon/",
        }
    ]
    assert data["publisher"]["name"] == "Filmsite"
    assert len(data["image"]) >= 2  # several sizes of the lead image
    about = {(a["@type"], a["name"]) for a in data["about"]}
    assert ("Movie", "Jung_E") in about and ("Person", "Kang Soo-yeon") in about


def test_an_article_saved_before_it_came_out_was_modified_when_published(client):
    """A scheduled article's last edit precedes its publication: the preview
    card, like the JSON-LD, dates the change to the publication."""
    article = make_article()
    earlier = article.published_at - datetime.timedelta(days=1)
    Article.objects.filter(pk=article.pk).update(updated=earlier)
    page = head(client, article.get_absolute_url())
    modified = datetime.datetime.fromisoformat(page.one("article:modified_time"))
    assert modified == article.published_at
    assert page.ld("NewsArticle")["dateModified"] == article.published_at.isoformat(
        timespec="seconds"
    )


def test_a_review_is_a_review_of_the_movie(client, demo):
    article = Article.objects.get(slug="jung-e-review")
    data = head(client, article.get_absolute_url()).ld("Review")
    assert data["itemReviewed"]["@type"] == "Movie"
    assert data["itemReviewed"]["name"] == "Jung_E"
    assert data["itemReviewed"]["url"] == "http://testserver/films/jung-e/"
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": float(article.rating),
        "bestRating": 5,
        "worstRating": 0.5,
    }
    assert data["author"][0]["name"] == "Daniel Reyes"
    assert data["datePublished"].startswith("2023-01-19")


def test_an_unrated_review_has_no_rating(client):
    review = make_article(kind="review", reviewed_film=make_film(), rating=None)
    data = head(client, review.get_absolute_url()).ld("Review")
    assert "reviewRating" not in data


def test_the_home_page_offers_the_site_search(client):
    website = head(client, "/").ld("WebSite")
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert (
        action["target"]["urlTemplate"]
        == "http://testserver/search/?q={search_term_string}"
    )


def test_hostile_titles_stay_inside_their_strings(client):
    hostile = '</script><script>alert("x")</script><!--'
    film = make_film(title=hostile, slug="hostile")
    film.poster = make_still(film, alt_text=hostile)
    film.save()
    article = make_article(headline=hostile, films=[film], standfirst=hostile)
    for url in ["/films/hostile/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert '<script>alert("x")' not in html
        page = Head(html)
        names = [d.get("name") or d.get("headline") for d in page.jsonld]
        assert hostile in names
        assert hostile in page.meta["og:title"]


def test_error_and_preview_pages_are_not_indexed(client, admin_client):
    response = client.get("/films/no-such-film/")
    assert response.status_code == 404
    page = Head(response.content.decode())
    assert "canonical" not in page.links
    assert page.one("robots") == "noindex"
    draft = make_article(status="draft")
    preview = admin_client.get(f"/admin/news/article/{draft.pk}/preview/")
    assert Head(preview.content.decode()).one("robots") == "noindex, nofollow"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short and sweet.", "Short and sweet."),
        ("word " * 50, ("word " * 32).strip() + "…"),
        ("<p>A <em>tagged</em>\n\n   text</p>", "A tagged text"),
        ("**Bold** and _italic_", "Bold and italic"),
        ("Jung_E, or JUNG_E: the title keeps its underscore.", None),
        ("# A heading\n> A quote, and 3 > 2", "A heading A quote, and 3 > 2"),
        ("", ""),
    ],
)
def test_descriptions_are_trimmed_on_a_word_boundary(text, expected):
    result = summary(text)
    assert result == (text if expected is None else expected)
    assert len(result) <= 160


def test_a_film_page_with_reviews_costs_one_more_query_whatever_their_number(
    count_queries,
):
    film = make_film(slug="reviewed")
    make_article(kind="review", reviewed_film=film, authors=[make_author()])
    # The 8 of a film page, and the reviews' bylines for the Movie's reviews.
    assert count_queries("/films/reviewed/") == 9
    for _ in range(20):
        make_article(kind="review", reviewed_film=film, authors=[make_author()])
    assert count_queries("/films/reviewed/") == 9
