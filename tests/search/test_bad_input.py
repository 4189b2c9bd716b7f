"""Whatever is typed or sent, the search page answers, and never slowly."""

import time

import pytest

from search import engine
from search.text import MAX_QUERY_LENGTH, clean_query
from tests.factories import make_article, make_film
from tests.pages import text

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "   ",
    "\t\n",
    "%",
    "%%",
    "_",
    "__",
    "\\",
    "'",
    '"',
    "' OR 1=1 --",
    '"; DROP TABLE catalog_film; --',
    "1; SELECT pg_sleep(5)",
    "NEAR(a b)",
    'jung* OR "e',
    "a:* & !b | (c",
    "AND OR NOT",
    "{}[]()<>|&!:*^~",
    "\x00",
    "jung\x00e",
    "\x1b[31mred",
    "\u200b\u200d\ufeff",
    "\ufffd",
    "😀🎬",
    "x" * 10_000,
    "jung " * 2_000,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_200_quickly(client, query):
    make_film(title="Jung_E")
    make_article(headline="Jung_E teaser")

    started = time.monotonic()
    page = client.get("/search/", {"q": query})
    suggestions = client.get("/search/suggestions/", {"q": query})

    assert page.status_code == 200
    assert suggestions.status_code == 200
    assert time.monotonic() - started < 2


def test_percent_and_underscore_are_not_wildcards(client):
    make_film(title="Train to Busan")
    make_film(title="100% Wolf")

    for query in ("%", "_", "T_ain", "Tr%n", "%usan"):
        response = client.get("/search/", {"q": query})
        assert response.context["catalog"].films == [], query
    found = client.get("/search/", {"q": "100%"}).context["catalog"].films
    assert [match.film.title for match in found] == ["100% Wolf"]


def test_a_very_long_query_is_cut_and_still_searched(client):
    make_film(title="Jung_E")

    response = client.get("/search/", {"q": "jung_e" + " " * 20 + "x" * 10_000})

    assert response.status_code == 200
    assert len(response.context["query"]) == MAX_QUERY_LENGTH


def test_markup_in_the_query_is_shown_as_text(client):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})

    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "Nothing found for “<script>alert(1)</script>”" in text(response)


def test_quotes_are_shown_as_typed(client):
    response = client.get("/search/", {"q": "\"Jung\" 'E'"})

    assert 'value="&quot;Jung&quot; &#x27;E&#x27;"' in response.content.decode()


def test_invalid_utf8_and_encoded_surrogates_answer_200(client):
    for raw in ("%ED%A0%80", "%ff%fe", "%C0%80", "jung%ED%B0%80e"):
        assert client.get(f"/search/?q={raw}").status_code == 200, raw
        assert client.get(f"/search/suggestions/?q={raw}").status_code == 200, raw


def test_lone_surrogates_and_control_characters_are_dropped(client):
    """A query that reaches the search with them still searches and shows."""
    make_film(title="Jung_E")

    assert clean_query("ju\ud800ng\x00_\x1be\u200b") == "jung_e"
    assert [m.film.title for m in engine.search_catalog("\udfffjung\x07e").films] == [
        "Jung_E"
    ]
    assert engine.suggest("\ud800") == []


def test_a_repeated_parameter_uses_the_last_value(client):
    make_film(title="Jung_E")

    response = client.get("/search/?q=nothing&q=jung")

    assert response.context["query"] == "jung"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "9" * 50])
def test_a_bad_page_number_is_not_found(client, page):
    make_article(headline="Kronoid")

    assert client.get("/search/", {"q": "kronoid", "page": page}).status_code == 404


def test_post_is_not_allowed(client):
    assert client.post("/search/", {"q": "jung"}).status_code == 405
