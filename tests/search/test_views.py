import datetime

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import AlternativeTitle, PersonNameVariant
from news.models import Article
from tests.factories import make_article, make_credit, make_film, make_person
from tests.pages import text

pytestmark = pytest.mark.django_db


def test_the_query_stays_in_the_box_and_results_are_grouped_by_type(client):
    film = make_film(title="Jung_E", slug="jung-e")
    make_credit(
        film=film, person=make_person(name="Kim Hyun-joo"), character="Yun Jung-yi"
    )
    make_article(headline="Jung_E teaser is out", films=[film])

    response = client.get("/search/", {"q": "jung"})

    content = response.content.decode()
    assert 'name="q" value="jung"' in content
    films, people, articles = (
        content.index(f">{heading}</h2>") for heading in ("Films", "People", "Articles")
    )
    assert films < people < articles
    page = text(response)
    assert "Jung_E" in page
    assert "Kim Hyun-joo" in page
    assert "As Yun Jung-yi in Jung_E" in page
    assert "Jung_E teaser is out" in page


def test_an_exact_title_ranks_above_titles_that_start_or_contain_it(client):
    make_film(title="Busan Nights")
    make_film(title="Train to Busan")
    make_film(title="Busan")

    response = client.get("/search/", {"q": "busan"})

    titles = [match.film.title for match in response.context["catalog"].films]
    assert titles == ["Busan", "Busan Nights", "Train to Busan"]


def test_an_exact_name_ranks_above_someone_known_by_it_as_a_variant(client):
    alias = make_person(name="Lee Ji-eun")
    PersonNameVariant.objects.create(person=alias, name="IU")
    make_person(name="Iu")

    response = client.get("/search/", {"q": "iu"})

    names = [match.person.name for match in response.context["catalog"].people]
    assert names == ["Iu", "Lee Ji-eun"]
    assert "Also known as IU" in text(response)


def test_matching_ignores_case_accents_and_punctuation(client):
    make_film(title="Amélie")
    make_person(name="Zoë Kravitz")

    assert "Amélie" in text(client.get("/search/", {"q": "AMELIE"}))
    assert "Zoë Kravitz" in text(client.get("/search/", {"q": "zoe kravitz"}))
    assert "Zoë Kravitz" in text(client.get("/search/", {"q": "Zoe_Kravitz."}))


def test_articles_match_headline_standfirst_and_body_words(client):
    make_article(headline="Kronoid lab revealed")
    make_article(headline="Second", standfirst="A look at the Kronoid institute.")
    make_article(headline="Third", body="The *Kronoid* scientists at work.")
    make_article(headline="Unrelated", body="Nothing to see.")

    response = client.get("/search/", {"q": "kronoid"})

    headlines = {article.headline for article in response.context["article_list"]}
    assert headlines == {"Kronoid lab revealed", "Second", "Third"}


def test_article_words_match_however_they_are_joined_and_by_their_start(client):
    make_article(headline="A robot head marked Jung-E on the lab floor")

    for query in ("jung-e", "junge", "jung e", "JUNG_E", "robot hea", "floor lab"):
        response = client.get("/search/", {"q": query})
        assert response.context["page_obj"].paginator.count == 1, query


def test_drafts_and_scheduled_articles_are_not_found(client):
    make_article(headline="Kronoid draft", status=Article.Status.DRAFT)
    make_article(
        headline="Kronoid scheduled",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )

    response = client.get("/search/", {"q": "kronoid"})

    assert "Kronoid draft" not in text(response)
    assert "Kronoid scheduled" not in text(response)
    assert response.context["page_obj"].paginator.count == 0


def test_articles_about_a_film_found_are_listed_even_without_its_name(client):
    film = make_film(title="Jung_E")
    AlternativeTitle.objects.create(film=film, title="Jeong-i", kind="romanised")
    make_article(headline="A first look at Netflix's new robot", films=[film])

    response = client.get("/search/", {"q": "jeong i"})

    assert "A first look at Netflix's new robot" in text(response)


def test_an_article_found_several_ways_is_listed_once(client):
    films = [make_film(title="Kronoid"), make_film(title="Kronoid Returns")]
    person = make_person(name="Kronoid Park")
    make_article(headline="Kronoid, twice", films=films, people=[person])
    make_article(headline="Verdict", kind=Article.Kind.REVIEW, reviewed_film=films[1])

    response = client.get("/search/", {"q": "kronoid"})

    headlines = [article.headline for article in response.context["article_list"]]
    assert sorted(headlines) == ["Kronoid, twice", "Verdict"]
    assert response.context["page_obj"].paginator.count == 2


def test_article_results_are_paginated_newest_first(client):
    now = timezone.now()
    for day in range(12):
        make_article(
            headline=f"Kronoid day {day}",
            published_at=now - datetime.timedelta(days=day),
        )

    first = client.get("/search/", {"q": "kronoid"})
    second = client.get("/search/", {"q": "kronoid", "page": 2})

    assert [a.headline for a in first.context["article_list"]][:2] == [
        "Kronoid day 0",
        "Kronoid day 1",
    ]
    assert len(first.context["article_list"]) == 10
    assert len(second.context["article_list"]) == 2
    assert 'href="?q=kronoid&amp;page=2"' in first.content.decode()
    assert client.get("/search/", {"q": "kronoid", "page": 3}).status_code == 404


def test_no_query_explains_what_can_be_searched(client):
    response = client.get("/search/")

    assert response.status_code == 200
    assert "Type a title, a name or a role" in text(response)


def test_a_query_that_finds_nothing_suggests_what_to_try(client):
    make_film(title="Jung_E")

    page = text(client.get("/search/", {"q": "zzyzx"}))

    assert "Nothing found for “zzyzx”" in page
    assert "Check the spelling" in page
    assert "browse the films" in page


def test_the_results_page_is_not_indexed_by_search_engines(client):
    content = client.get("/search/", {"q": "jung"}).content.decode()

    assert '<meta name="robots" content="noindex">' in content


def test_every_page_has_a_labelled_search_box_in_the_header(client):
    content = client.get("/").content.decode()

    assert 'role="search"' in content
    assert '<label class="visually-hidden" for="site-search-q">' in content
    assert 'action="/search/"' in content
    assert '<button type="submit">Search</button>' in content


def test_pages_advertise_the_opensearch_description(client):
    content = client.get("/").content.decode()

    assert (
        '<link rel="search" type="application/opensearchdescription+xml" '
        'title="Filmsite" href="/search/opensearch.xml">'
    ) in content


def test_the_opensearch_description_points_at_the_search_page(client):
    response = client.get("/search/opensearch.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    content = response.content.decode()
    assert "<ShortName>Filmsite</ShortName>" in content
    assert 'template="http://testserver/search/?q={searchTerms}"' in content


def test_suggestions_script_is_a_static_file_not_inline(client):
    content = client.get("/search/", {"q": "jung"}).content.decode()

    assert '<script src="/static/js/search.js" defer></script>' in content
    assert "<script>" not in content
    assert " style=" not in content
    assert client.get("/static/js/search.js").status_code == 200


def test_suggestions_list_the_best_films_and_people_as_json(client):
    film = make_film(title="Jung_E", slug="jung-e", year=2023)
    make_credit(
        film=film,
        person=make_person(name="Kang Soo-yeon", slug="kang-soo-yeon"),
        character="Yun Seo-hyun",
    )

    response = client.get("/search/suggestions/", {"q": "seohyeon"})

    assert response.status_code == 200
    assert response.json() == {
        "query": "seohyeon",
        "results": [
            {
                "kind": "film",
                "name": "Jung_E (2023)",
                "matched": "Yun Seo-hyun, played by Kang Soo-yeon",
                "url": "/films/jung-e/",
            },
            {
                "kind": "person",
                "name": "Kang Soo-yeon",
                "matched": "as Yun Seo-hyun in Jung_E",
                "url": "/people/kang-soo-yeon/",
            },
        ],
    }


def test_suggestions_stop_at_eight(client):
    for n in range(12):
        make_film(title=f"Kronoid {n}")

    response = client.get("/search/suggestions/", {"q": "kron"})

    assert len(response.json()["results"]) == 8


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's"
)
def test_a_one_letter_slip_still_finds_the_film_and_the_person_on_postgresql(client):
    make_film(title="Train to Busan")
    make_person(name="Kang Soo-yeon")

    assert "Train to Busan" in text(client.get("/search/", {"q": "trian to busan"}))
    assert "Kang Soo-yeon" in text(client.get("/search/", {"q": "kang soo-yeun"}))


def test_a_slip_in_a_long_query_never_fails(client):
    """On SQLite there is no trigram index: the page answers, without a match."""
    make_film(title="Train to Busan")

    assert client.get("/search/", {"q": "trian to busan"}).status_code == 200
