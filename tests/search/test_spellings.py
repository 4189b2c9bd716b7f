"""Every spelling in shared/content/jung-e-facts.md finds the right film,
person or character, whatever the database."""

import pytest

from tests.pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_afresh(settings):
    """These tests read the search view's context, which a page served from the
    page cache does not have: each request here renders."""
    settings.PAGE_CACHE_ENABLED = False


def results(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return text(response)


def films_found(client, query: str) -> list[str]:
    response = client.get("/search/", {"q": query})
    return [match.film.title for match in response.context["catalog"].films]


def people_found(client, query: str) -> list[str]:
    response = client.get("/search/", {"q": query})
    return [match.person.name for match in response.context["catalog"].people]


@pytest.mark.parametrize(
    "query",
    [
        "Jung_E",
        "JUNG_E",
        "Jung E",
        "Jung-E",
        "jung e",
        "junge",
        "JUNGE",
        "jung.e",
        "정이",
        "Jeong-i",
        "jeong i",
    ],
)
def test_every_spelling_of_the_film_finds_jung_e_first(client, demo, query):
    """The title as printed, stylised, spaced, hyphenated, in Korean or
    romanised: Jung_E comes first."""
    assert films_found(client, query)[0] == "Jung_E"


@pytest.mark.parametrize(
    ("query", "film"),
    [
        ("Train to Busan", "Train to Busan"),
        ("busan train", "Train to Busan"),
        ("train to bu", "Train to Busan"),
        ("부산행", "Train to Busan"),
        ("Seoul Station", "Seoul Station"),
        ("Peninsula", "Peninsula"),
        ("반도", "Peninsula"),
        ("Hellbound", "Hellbound"),
        ("지옥", "Hellbound"),
        ("The Surrogate Woman", "The Surrogate Woman"),
        ("The Surrogate Womb", "The Surrogate Woman"),
        ("surrogate", "The Surrogate Woman"),
    ],
)
def test_related_works_are_found_by_title_original_title_and_translation(
    client, demo, query, film
):
    """Yeon Sang-ho's other works and Kang Soo-yeon's Venice winner."""
    assert films_found(client, query)[0] == film


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("Yeon Sang-ho", "Yeon Sang-ho"),
        ("Yeon Sangho", "Yeon Sang-ho"),
        ("yeon sangho", "Yeon Sang-ho"),
        ("연상호", "Yeon Sang-ho"),
        ("Kim Hyun-joo", "Kim Hyun-joo"),
        ("김현주", "Kim Hyun-joo"),
        ("Kang Soo-yeon", "Kang Soo-yeon"),
        ("Kang Sooyeon", "Kang Soo-yeon"),
        ("kang sooyeon", "Kang Soo-yeon"),
        ("Kang Soo-youn", "Kang Soo-yeon"),
        ("강수연", "Kang Soo-yeon"),
        ("Ryu Kyung-soo", "Ryu Kyung-soo"),
        ("Ryoo Kyung-soo", "Ryu Kyung-soo"),
        ("류경수", "Ryu Kyung-soo"),
        ("Park So-yi", "Park So-yi"),
        ("박소이", "Park So-yi"),
        ("Byun Seung-min", "Byun Seung-min"),
        ("Yang Jin-mo", "Yang Jin-mo"),
        ("Kim Dong-wook", "Kim Dong-wook"),
    ],
)
def test_every_spelling_of_a_name_finds_the_person_first(client, demo, query, person):
    assert people_found(client, query)[0] == person


@pytest.mark.parametrize(
    ("query", "person", "character"),
    [
        ("Yun Seo-hyun", "Kang Soo-yeon", "Yun Seo-hyun"),
        ("Seo-Hyun", "Kang Soo-yeon", "Yun Seo-hyun"),
        ("Seohyun", "Kang Soo-yeon", "Yun Seo-hyun"),
        ("Seo Hyun", "Kang Soo-yeon", "Yun Seo-hyun"),
        ("Seo-hyeon", "Kang Soo-yeon", "Yun Seo-hyun"),
        ("Yun Jung-yi", "Kim Hyun-joo", "Yun Jung-yi"),
        ("Jung Yi", "Kim Hyun-joo", "Yun Jung-yi"),
        ("Kim Sang-hoon", "Ryu Kyung-soo", "Kim Sang-hoon"),
        ("Sang-hun", "Ryu Kyung-soo", "Kim Sang-hoon"),
    ],
)
def test_every_spelling_of_a_character_finds_the_actor_and_the_film(
    client, demo, query, person, character
):
    """The card says who played whom, in what."""
    page = results(client, query)
    assert people_found(client, query)[0] == person
    assert "Jung_E" in films_found(client, query)
    assert f"As {character} in Jung_E" in page
    assert f"{character}, played by {person}" in page


def test_a_variant_says_what_matched(client, demo):
    assert "Also known as Ryoo Kyung-soo" in results(client, "ryoo kyung soo")
    assert "Also known as Jeong-i" in results(client, "jeong-i")


def test_the_jung_e_articles_are_found_by_any_spelling_of_the_film(client, demo):
    """All three demo articles are about Jung_E, under every spelling."""
    for query in ("Jung_E", "junge", "정이", "Jeong-i"):
        response = client.get("/search/", {"q": query})
        assert response.context["page_obj"].paginator.count == 3, query
