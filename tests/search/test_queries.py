"""A search costs the same number of queries however much it finds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_article,
    make_author,
    make_credit,
    make_film,
    make_genre,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db


def make_matches(count: int) -> None:
    """`count` films, people (each playing a character) and articles that a
    search for "kronoid" finds, with genres and bylines to load."""
    genre = make_genre()
    section = make_section()
    author = make_author()
    for n in range(count):
        film = make_film(title=f"Kronoid {n}", genres=[genre])
        make_credit(
            film=film,
            person=make_person(name=f"Kronoid Person {n}"),
            character="Kronoid",
        )
        make_article(headline=f"Kronoid news {n}", section=section, authors=[author])


@pytest.mark.parametrize("count", [3, 30])
def test_the_search_page_runs_a_fixed_number_of_queries(count_queries, count):
    make_matches(count)

    # 1 the ranked spellings of films and people, 2 the films shown,
    # 3 their genres, 4 the people shown, 5 the number of matching articles,
    # 6 one page of them, 7 their bylines and authors.
    assert count_queries("/search/?q=kronoid") == 7


@pytest.mark.parametrize("count", [3, 30])
def test_the_second_page_of_articles_costs_the_same(count_queries, count):
    make_matches(count + 10)

    assert count_queries("/search/?q=kronoid&page=2") == 7


@pytest.mark.parametrize("count", [3, 30])
def test_suggestions_run_a_fixed_number_of_queries(count_queries, count):
    make_matches(count)

    # 1 the ranked spellings, 2 the films, 3 the people.
    assert count_queries("/search/suggestions/?q=kronoid") == 3


def test_a_query_with_nothing_to_search_runs_no_query(client):
    for query in ("", "   ", "%_%", "<>"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/search/", {"q": query}).status_code == 200
        assert len(queries) == 0, query


@pytest.mark.parametrize("count", [3, 30])
def test_a_slipped_letter_costs_one_more_query_on_postgresql(count_queries, count):
    make_matches(count)

    # 1 the spellings as typed, which match nothing; then on PostgreSQL only:
    # 2 the near spellings, 3 the films found, 4 their genres, 5 the people;
    # last, the number of matching articles (none: no page is read).
    expected = 6 if connection.vendor == "postgresql" else 2
    assert count_queries("/search/?q=kronoid+persno") == expected
