import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import WatchLink
from news.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_film,
    make_person,
    make_section,
)
from tests.pages import text

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def hidden():
    """A draft and a scheduled article, which readers must never see."""
    return [
        make_article(headline="Secret draft", slug="secret-draft", status="draft"),
        make_article(
            headline="Not yet out",
            slug="not-yet-out",
            published_at=timezone.now() + HOUR,
        ),
    ]


# Article pages


def test_article_page_shows_the_article(client):
    """Headline, standfirst, linked byline, date and body are on the page."""
    author = make_author(name="Mira Kwon", slug="mira-kwon")
    second = make_author(name="Jun Seo", slug="jun-seo")
    make_article(
        headline="Netflix shows the set of Jung_E",
        slug="set-of-jung-e",
        standfirst="Stills from the lab.",
        body="The *lab* of 2194.",
        authors=[author, second],
        published_at=timezone.make_aware(datetime.datetime(2023, 1, 10, 9, 0)),
    )
    response = client.get("/news/set-of-jung-e/")
    page = text(response)
    markup = response.content.decode()
    assert "<h1>Netflix shows the set of Jung_E</h1>" in markup
    assert "Stills from the lab." in page
    assert "By Mira Kwon and Jun Seo" in page
    assert 'href="/authors/mira-kwon/"' in markup
    assert "10 January 2023" in page
    assert "The <em>lab</em> of 2194." in markup


def test_article_page_shows_a_correction_with_its_date(client):
    """A correction note is shown with the date it was made."""
    make_article(
        slug="corrected",
        correction="An earlier version gave the wrong runtime.",
        corrected_at=timezone.make_aware(datetime.datetime(2023, 1, 12, 8, 0)),
    )
    page = text(client.get("/news/corrected/"))
    assert "Correction, 12 January 2023 : An earlier version gave" in page


def test_article_page_links_the_films_and_people_it_is_about(client):
    """The films and people an article is about are linked from it."""
    film = make_film(title="Jung_E", slug="jung-e", year=2023)
    person = make_person(name="Kim Hyun-joo", slug="kim-hyun-joo")
    make_article(slug="about", films=[film], people=[person])
    response = client.get("/news/about/")
    assert "In this article Film Jung_E (2023) Person Kim Hyun-joo" in text(response)
    assert 'href="/films/jung-e/"' in response.content.decode()


def test_review_page_shows_the_film_and_the_rating(client):
    """A review shows the reviewed film's facts, the rating and the verdict."""
    film = make_film(title="Jung_E", slug="jung-e", year=2023, runtime=99)
    WatchLink.objects.create(film=film, provider="Netflix", url="https://n.example/")
    make_article(
        kind="review",
        slug="jung-e-review",
        reviewed_film=film,
        rating=Decimal("3.5"),
        verdict="Worth watching.",
    )
    response = client.get("/reviews/jung-e-review/")
    page = text(response)
    assert "★★★½☆" in page
    assert "Rating: 3.5 out of 5" in page
    assert "Verdict: Worth watching." in page
    assert "The film Jung_E (2023)" in page
    assert "1 h 39 min" in page
    assert "Watch on Netflix" in page


def test_related_articles_share_a_film_or_a_person(client):
    """Articles about the same film or person are offered as related."""
    film, person = make_film(), make_person()
    make_article(slug="main", films=[film], people=[person])
    make_article(headline="Same film", films=[film])
    make_article(headline="Same person", people=[person])
    make_article(headline="Unrelated", films=[make_film()])
    page = text(client.get("/news/main/"))
    related = page[page.index("Related articles") :]
    assert "Same film" in related
    assert "Same person" in related
    assert "Unrelated" not in related


def test_drafts_and_scheduled_articles_are_404(client, hidden):
    """Readers get 404 for drafts and for articles not yet published."""
    assert client.get("/news/secret-draft/").status_code == 404
    assert client.get("/news/not-yet-out/").status_code == 404


def test_a_review_has_one_address(client):
    """A review asked for under /news/ is redirected to its /reviews/ page."""
    make_article(kind="review", slug="a-review")
    response = client.get("/news/a-review/")
    assert response.status_code == 301
    assert response["Location"] == "/reviews/a-review/"
    make_article(slug="a-news-piece")
    assert client.get("/reviews/a-news-piece/")["Location"] == "/news/a-news-piece/"


def test_unknown_articles_sections_and_authors_are_404(client):
    """Unknown slugs answer 404."""
    for url in ["/news/nope/", "/reviews/nope/", "/sections/nope/", "/authors/nope/"]:
        assert client.get(url).status_code == 404, url


def test_hostile_markup_in_an_article_never_runs(client):
    """Script typed into the headline or body comes out as harmless text."""
    make_article(
        slug="hostile",
        headline="<script>alert(1)</script>",
        standfirst='" onmouseover="alert(1)',
        body="<script>alert(2)</script> [x](javascript:alert(3))",
    )
    markup = client.get("/news/hostile/").content.decode()
    assert "<script>alert" not in markup
    assert "javascript:" not in markup.lower()


# Lists


def test_news_index_lists_news_and_features_but_not_reviews(client, hidden):
    """/news/ lists published news and features, newest first."""
    make_article(headline="Older news", published_at=timezone.now() - 3 * HOUR)
    make_article(headline="A feature", kind="feature")
    make_article(headline="A review", kind="review")
    page = text(client.get("/news/"))
    assert page.index("A feature") < page.index("Older news")
    assert "A review" not in page
    assert "Secret draft" not in page
    assert "Not yet out" not in page


def test_reviews_index_lists_reviews_only(client, hidden):
    """/reviews/ lists published reviews only."""
    make_article(headline="A review", kind="review", rating=Decimal("4.0"))
    make_article(headline="Some news")
    page = text(client.get("/reviews/"))
    assert "A review" in page
    assert "4/5" in page
    assert "Some news" not in page


def test_lists_are_paginated(client):
    """Lists show 20 articles a page; a bad page number is 404."""
    for n in range(25):
        make_article(headline=f"Story {n}")
    first = client.get("/news/")
    assert len(first.context["object_list"]) == 20
    assert 'href="?page=2"' in first.content.decode()
    assert len(client.get("/news/?page=2").context["object_list"]) == 5
    assert client.get("/news/?page=3").status_code == 404
    assert client.get("/news/?page=abc").status_code == 404


def test_the_last_pages_of_article_lists_show_what_offset_would(
    client, uncached, hidden
):
    """The news, reviews, section and author lists' pages, the last included,
    hold the articles OFFSET would give them, newest first; past the last is
    404; a new article shows on the next request."""
    section, author = make_section(slug="s"), make_author(slug="a")
    now = timezone.now()
    for n in range(45):
        make_article(
            slug=f"story-{n}",
            kind="review" if n % 3 == 0 else "news",
            section=section if n % 2 else make_section(),
            authors=[author] if n % 4 else [],
            # Some share a publication time: the primary key breaks the tie.
            published_at=now - HOUR * (n // 2),
        )
    published = Article.objects.published()
    lists = {
        "/news/": published.news(),
        "/reviews/": published.reviews(),
        "/sections/s/": published.filter(section=section),
        "/authors/a/": published.filter(authors=author),
    }
    for url, articles in lists.items():
        count = articles.count()
        last = -(-count // 20)
        for number in range(1, last + 1):
            response = client.get(f"{url}?page={number}")
            expected = list(
                articles.values_list("slug", flat=True)[(number - 1) * 20 :][:20]
            )
            assert [a.slug for a in response.context["object_list"]] == expected
        assert client.get(f"{url}?page={last + 1}").status_code == 404, url
    make_article(
        slug="breaking", section=section, authors=[author], published_at=timezone.now()
    )
    for url in lists:
        if url != "/reviews/":
            first = client.get(url).context["object_list"]
            assert first[0].slug == "breaking", url


def test_section_page_lists_its_published_articles(client, hidden):
    """A section page lists that section's published articles."""
    section = make_section(name="Film News", slug="film-news")
    make_article(headline="In section", section=section)
    make_article(headline="Elsewhere")
    page = text(client.get("/sections/film-news/"))
    assert "Film News" in page
    assert "In section" in page
    assert "Elsewhere" not in page


def test_author_page_lists_their_articles_and_catalog_page(client, hidden):
    """An author page gives the bio, the articles and any catalog page."""
    director = make_person(slug="yeon-sang-ho")
    author = make_author(
        name="Yeon Sang-ho",
        slug="yeon",
        bio="Director and guest writer.",
        person=director,
    )
    make_article(headline="By him", authors=[author])
    make_article(headline="By someone else", authors=[make_author()])
    response = client.get("/authors/yeon/")
    page = text(response)
    assert "Director and guest writer." in page
    assert "By him" in page
    assert "By someone else" not in page
    assert 'href="/people/yeon-sang-ho/"' in response.content.decode()


def test_home_shows_latest_news_reviews_and_films_in_focus(client, hidden):
    """The home page puts the latest news and reviews next to films in focus."""
    make_article(headline="Fresh news")
    make_article(headline="Fresh review", kind="review")
    make_film(title="Focus film", in_focus=True)
    page = text(client.get("/"))
    assert page.index("Latest news") < page.index("Fresh news")
    assert page.index("Latest reviews") < page.index("Fresh review")
    assert "Films in focus Focus film" in page
    assert "Secret draft" not in page


# Coverage on catalog pages


def test_film_and_person_pages_list_their_coverage(client, hidden):
    """Film and person pages list the published news and reviews about them."""
    film = make_film(slug="jung-e")
    person = make_person(slug="kim-hyun-joo")
    make_article(headline="Teaser out", films=[film], people=[person])
    make_article(headline="The review", kind="review", reviewed_film=film)
    hidden[0].films.add(film)
    hidden[1].people.add(person)
    film_page = text(client.get("/films/jung-e/"))
    assert "In the magazine Reviews The review" in film_page
    assert "News Teaser out" in film_page
    assert "Secret draft" not in film_page
    person_page = text(client.get("/people/kim-hyun-joo/"))
    assert "Teaser out" in person_page
    assert "Not yet out" not in person_page


# Query counts: the same with 3 related items and with 100.


def grow(build, count):
    return [build() for _ in range(count)]


def test_article_page_query_count_does_not_grow(count_queries):
    """The article page runs the same queries with 3 and 100 films, people,
    authors and related articles."""
    article = make_article(
        slug="big",
        kind="review",
        films=grow(make_film, 3),
        people=grow(make_person, 3),
        authors=grow(make_author, 3),
    )
    for _ in range(3):
        make_article(films=[article.films.first()], authors=[make_author()])
    # article (+ section, reviewed film); bylines (+ authors); reviewed film's
    # genres; its watch links; films; people; related articles (+ section);
    # their bylines.
    assert count_queries("/reviews/big/") == 8
    article.films.add(*grow(make_film, 97))
    article.people.add(*grow(make_person, 97))
    for position, extra in enumerate(grow(make_author, 97)):
        article.bylines.create(author=extra, position=10 + position)
    for _ in range(97):
        make_article(films=[article.films.first()], authors=[make_author()])
    assert count_queries("/reviews/big/") == 8


@pytest.mark.parametrize("url", ["/news/", "/reviews/", "/"])
def test_list_query_counts_do_not_grow(count_queries, url):
    """News, reviews and home pages run the same queries with 3 and 100 articles."""
    kind = "review" if url == "/reviews/" else "news"

    def build():
        return make_article(kind=kind, authors=[make_author()])

    grow(build, 3)
    small = count_queries(url)
    grow(build, 97)
    assert count_queries(url) == small
    assert small <= 10


def test_section_and_author_query_counts_do_not_grow(count_queries):
    """Section and author pages run the same queries with 3 and 100 articles."""
    section, author = make_section(slug="s"), make_author(slug="a")

    def build():
        return make_article(section=section, authors=[author])

    grow(build, 3)
    small = (count_queries("/sections/s/"), count_queries("/authors/a/"))
    grow(build, 97)
    assert (count_queries("/sections/s/"), count_queries("/authors/a/")) == small
    assert max(small) <= 10


def test_film_page_query_count_does_not_grow_with_coverage(count_queries):
    """The film page runs the same queries with 3 and 100 articles about it."""
    film = make_film(slug="covered")
    grow(lambda: make_article(films=[film]), 3)
    grow(lambda: make_article(kind="review", reviewed_film=film), 3)
    small = count_queries("/films/covered/")
    grow(lambda: make_article(films=[film]), 97)
    grow(lambda: make_article(kind="review", reviewed_film=film), 97)
    assert count_queries("/films/covered/") == small
    assert small <= 10


def test_person_page_query_count_does_not_grow_with_coverage(count_queries):
    """The person page runs the same queries with 3 and 100 articles about them."""
    person = make_person(slug="covered")
    grow(lambda: make_article(people=[person]), 3)
    grow(lambda: make_article(kind="review", people=[person]), 3)
    small = count_queries("/people/covered/")
    grow(lambda: make_article(people=[person]), 97)
    grow(lambda: make_article(kind="review", people=[person]), 97)
    assert count_queries("/people/covered/") == small
    assert small <= 10


def test_catalog_pages_show_the_ten_newest_news_and_reviews(client):
    """A film page lists the ten newest news pieces and features together and
    the ten newest reviews, however many there are."""
    film = make_film(slug="busy-film")
    now = timezone.now()
    for n in range(12):
        for kind in ("news", "feature", "review"):
            make_article(
                headline=f"{kind} {n:02d}",
                kind=kind,
                films=[film] if kind != "review" else [],
                reviewed_film=film if kind == "review" else None,
                published_at=now - datetime.timedelta(hours=n + 1),
            )
    response = client.get("/films/busy-film/")
    coverage = response.context["coverage"]
    assert [a.headline for a in coverage["reviews"]] == [
        f"review {n:02d}" for n in range(10)
    ]
    # A news piece and a feature share each hour; the later-created comes first.
    assert [a.headline for a in coverage["news"]] == [
        f"{kind} {n:02d}" for n in range(5) for kind in ("feature", "news")
    ]
