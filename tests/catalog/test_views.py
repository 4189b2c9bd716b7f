import datetime

import pytest
from django.utils import timezone

from catalog.models import (
    AlternativeTitle,
    Credit,
    Department,
    Film,
    Person,
    PersonNameVariant,
    WatchLink,
)
from tests.factories import (
    make_country,
    make_credit,
    make_film,
    make_genre,
    make_language,
    make_person,
    make_portrait,
    make_still,
    make_video,
)
from tests.pages import text

pytestmark = pytest.mark.django_db


def add_credits(film, count: int) -> None:
    """`count` cast credits of new people, as a long film would have."""
    people = Person.objects.bulk_create(
        Person(name=f"Extra {n}", slug=f"{film.slug}-extra-{n}") for n in range(count)
    )
    Credit.objects.bulk_create(
        Credit(
            film=film,
            person=person,
            department=Department.CAST,
            character=f"Passer-by {n}",
            billing_order=100 + n,
        )
        for n, person in enumerate(people)
    )


@pytest.fixture
def jung_e():
    korean = make_language(code="ko", name="Korean")
    film = make_film(
        title="Jung_E",
        slug="jung-e",
        original_title="정이",
        original_language=korean,
        release_date=datetime.date(2023, 1, 20),
        runtime=99,
        synopsis="A lab clones a soldier's brain.",
        genres=[make_genre(name="Science fiction", slug="science-fiction")],
        countries=[make_country(code="kr", name="South Korea")],
    )
    film.languages.set([korean])
    AlternativeTitle.objects.create(film=film, title="JUNG_E", kind="stylised")
    WatchLink.objects.create(
        film=film, provider="Netflix", url="https://www.netflix.com/search?q=Jung_E"
    )
    yeon = make_person(name="Yeon Sang-ho", slug="yeon-sang-ho")
    make_credit(film=film, person=yeon, department="directing", job="Director")
    make_credit(film=film, person=yeon, department="writing", job="Screenplay")
    make_credit(
        film=film,
        person=make_person(name="Kim Hyun-joo", slug="kim-hyun-joo"),
        character="Yun Jung-yi",
        billing_order=2,
    )
    make_credit(
        film=film,
        person=make_person(name="Kang Soo-yeon", slug="kang-soo-yeon"),
        character="Yun Seo-hyun",
        billing_order=1,
    )
    make_credit(
        film=film,
        person=make_person(name="Yang Jin-mo", slug="yang-jin-mo"),
        department="editing",
        job="Editor",
    )
    return film


# Film page


def test_film_page_shows_the_facts(client, jung_e):
    """The film page gives the title in both scripts and the film's facts."""
    response = client.get("/films/jung-e/")
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Jung_E</h1>" in response.content.decode()
    assert '<span lang="ko">정이</span>' in response.content.decode()
    for fact in [
        "2023",
        "Feature film",
        "1 h 39 min",
        "Science fiction",
        "20 January 2023",
        "South Korea",
        "Korean",
        "JUNG_E (stylised)",
        "A lab clones a soldier's brain.",
    ]:
        assert fact in page
    assert 'href="https://www.netflix.com/search?q=Jung_E"' in response.content.decode()


def test_film_page_puts_director_and_writer_up_top(client, jung_e):
    """Director and writer are named before the cast list."""
    page = text(client.get("/films/jung-e/"))
    assert "Directed by Yeon Sang-ho Written by Yeon Sang-ho" in page
    assert page.index("Directed by") < page.index("Cast")


def test_film_page_lists_cast_in_billing_order_with_characters(client, jung_e):
    """The cast follows the billing order and names each character."""
    page = text(client.get("/films/jung-e/"))
    assert "Kang Soo-yeon as Yun Seo-hyun Kim Hyun-joo as Yun Jung-yi" in page


def test_film_page_groups_the_crew_by_department(client, jung_e):
    """The crew is listed under department headings with each job."""
    page = text(client.get("/films/jung-e/"))
    crew = page[page.index("Crew") :]
    assert "Directing Yeon Sang-ho Director" in crew
    assert "Writing Yeon Sang-ho Screenplay" in crew
    assert "Editing Yang Jin-mo Editor" in crew


def test_film_page_links_each_person(client, jung_e):
    """Every credited person links to their page."""
    markup = client.get("/films/jung-e/").content.decode()
    for slug in ["yeon-sang-ho", "kim-hyun-joo", "kang-soo-yeon", "yang-jin-mo"]:
        assert f'href="/people/{slug}/"' in markup


def test_unknown_film_is_a_404_with_the_site_page(client):
    """An unknown slug answers 404 with the site's own not-found page."""
    response = client.get("/films/no-such-film/")
    assert response.status_code == 404
    assert "Page not found" in text(response)


def test_hostile_titles_are_escaped(client):
    """Markup typed into a title is shown as text, never run."""
    make_film(title='</title><script>alert(1)</script>" x="', slug="hostile")
    markup = client.get("/films/hostile/").content.decode()
    assert "<script>alert(1)" not in markup
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in markup


# Person page


def test_person_page_shows_names_and_life_dates(client):
    """Native name, other spellings and age at death are on the person page."""
    person = make_person(
        name="Kang Soo-yeon",
        slug="kang-soo-yeon",
        native_name="강수연",
        native_name_language=make_language(),
        birth_date=datetime.date(1966, 8, 18),
        death_date=datetime.date(2022, 5, 7),
        biography="An actress.",
    )
    PersonNameVariant.objects.create(person=person, name="Kang Sooyeon")
    response = client.get("/people/kang-soo-yeon/")
    page = text(response)
    assert '<span lang="ko">강수연</span>' in response.content.decode()
    assert "Also written Kang Sooyeon" in page
    assert "Born 18 August 1966" in page
    assert "Died 7 May 2022 (aged 55)" in page
    assert "An actress." in page


def test_living_person_shows_current_age(client):
    """A living person's birth date comes with their age today."""
    today = timezone.localdate()
    make_person(slug="young", birth_date=today.replace(year=today.year - 30))
    assert "(age 30)" in text(client.get("/people/young/"))


def test_filmography_is_grouped_by_department_newest_first(client):
    """Credits are grouped by department, newest film first, with characters."""
    person = make_person(slug="yeon")
    for year, title in [(2016, "Train to Busan"), (2023, "Jung_E")]:
        make_credit(
            film=make_film(title=title, year=year),
            person=person,
            department=Department.DIRECTING,
            job="Director",
        )
    make_credit(
        film=make_film(title="Cameo", year=2020), person=person, character="Himself"
    )
    page = text(client.get("/people/yeon/"))
    assert (
        "Directing (2) 2023 Jung_E Director 2016 Train to Busan Director "
        "Cast (1) 2020 Cameo as Himself"
    ) in page


def test_unknown_person_is_a_404(client):
    """An unknown person slug answers 404."""
    assert client.get("/people/nobody/").status_code == 404


# Film index


def test_film_index_filters_combine(client):
    """Year, genre, kind and country filters narrow the list together."""
    scifi = make_genre(name="Science fiction", slug="science-fiction")
    korea = make_country()
    make_film(title="Match", year=2023, genres=[scifi], countries=[korea])
    make_film(title="Wrong year", year=2016, genres=[scifi], countries=[korea])
    make_film(title="Wrong kind", year=2023, kind="series", genres=[scifi])
    make_film(title="No genre", year=2023, countries=[korea])
    page = text(
        client.get("/films/?year=2023&genre=science-fiction&kind=feature&country=kr")
    )
    assert "1 film matches" in page
    assert "Match" in page
    assert "Wrong year" not in page
    assert "Wrong kind" not in page
    assert "No genre" not in page


def test_film_index_filters_survive_pagination(client):
    """Pagination links keep the filters."""
    for n in range(30):
        make_film(title=f"Old {n}", year=1999)
    make_film(title="Brand new film", year=2023)
    response = client.get("/films/?year=1999")
    markup = response.content.decode()
    assert "30 films match" in text(response)
    assert 'href="?year=1999&amp;page=2"' in markup
    second = client.get("/films/?year=1999&page=2")
    assert "Brand new film" not in text(second)
    assert second.context["page_obj"].number == 2


@pytest.mark.parametrize(
    "query",
    ["year=abc", "year=1800", "genre=no-such-genre", "kind=opera", "country=zz"],
)
def test_malformed_filters_are_ignored(client, query):
    """A filter value that is not valid is ignored, not an error."""
    make_film(title="Any film", year=2023)
    response = client.get(f"/films/?{query}")
    assert response.status_code == 200
    assert "1 film" in text(response)
    assert "aria-invalid" not in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1"])
def test_bad_page_numbers_are_404(client, page):
    """A page number that is not a page of the list answers 404."""
    make_film()
    assert client.get(f"/films/?page={page}").status_code == 404
    assert client.get(f"/people/?page={page}").status_code == 404


def test_film_filters_offer_only_values_in_use(client):
    """The filter menus list the years, genres and countries films have."""
    make_genre(name="Unused genre")
    make_film(year=2019, genres=[make_genre(name="Drama", slug="drama")])
    markup = client.get("/films/").content.decode()
    assert '<option value="2019">2019</option>' in markup
    assert '<option value="drama">Drama</option>' in markup
    assert "Unused genre" not in markup


def offset_page(queryset, number: int, size: int) -> list[str]:
    """What OFFSET pagination shows on page `number`: the reference."""
    return list(queryset.values_list("slug", flat=True)[(number - 1) * size :][:size])


def shown_slugs(response) -> list[str]:
    return [item.slug for item in response.context["page_obj"].object_list]


@pytest.mark.parametrize("chunk_pages", [50, 2])
def test_every_page_of_the_film_index_shows_what_offset_would(
    client, uncached, monkeypatch, chunk_pages
):
    """Each page, the last included, holds the films OFFSET would give it, in
    the index's order (year, newest first; films without a year included;
    then title), and the page after the last is 404; also when the memoised
    page keys come in chunks of fewer pages than the list has."""
    monkeypatch.setattr("core.paginator.CHUNK_PAGES", chunk_pages)
    for n in range(60):
        make_film(title=f"Film {n % 7} {n}", year=None if n % 9 == 0 else 1990 + n % 5)
    films = Film.objects.order_by(*Film._meta.ordering)
    for number in (1, 2, 3):
        response = client.get(f"/films/?page={number}")
        assert shown_slugs(response) == offset_page(films, number, 24)
    assert len(shown_slugs(client.get("/films/?page=3"))) == 12
    assert client.get("/films/?page=last").context["page_obj"].number == 3
    assert client.get("/films/?page=4").status_code == 404
    filtered = client.get("/films/?year=1991&page=1")
    assert shown_slugs(filtered) == offset_page(films.filter(year=1991), 1, 24)


def test_pages_whose_keys_were_evicted_are_read_with_offset(
    client, uncached, monkeypatch
):
    """A chunk of page keys lost from the cache costs an OFFSET read of that
    page's keys, with the same films shown."""
    for n in range(60):
        make_film(title=f"Film {n}", year=1990 + n % 5)
    films = Film.objects.order_by(*Film._meta.ordering)
    assert shown_slugs(client.get("/films/?page=3")) == offset_page(films, 3, 24)
    monkeypatch.setattr("core.paginator.chunk_key", lambda build, chunk: "lost")
    assert shown_slugs(client.get("/films/?page=3")) == offset_page(films, 3, 24)
    assert shown_slugs(client.get("/films/?page=2")) == offset_page(films, 2, 24)


def test_every_page_of_the_people_index_shows_what_offset_would(client, uncached):
    """People pages, the last included, match OFFSET's, in name order."""
    for n in range(100):
        make_person(name=f"{'Kim' if n % 2 else 'Lee'} Person {n % 13}")
    people = Person.objects.order_by(*Person._meta.ordering)
    for number in (1, 2, 3):
        response = client.get(f"/people/?page={number}")
        assert shown_slugs(response) == offset_page(people, number, 48)
    assert client.get("/people/?page=4").status_code == 404


def test_film_lists_follow_a_change_on_the_next_request(client, uncached):
    """A film added or deleted shows in the count and on the pages at once,
    though counts and pages are memoised between changes."""
    for n in range(24):
        make_film(title=f"B film {n}", year=2000)
    assert "24 films" in text(client.get("/films/"))
    assert client.get("/films/?page=2").status_code == 404
    make_film(title="A new film", year=2000, slug="a-new-film")
    assert "25 films" in text(client.get("/films/"))
    assert shown_slugs(client.get("/films/"))[0] == "a-new-film"
    assert len(shown_slugs(client.get("/films/?page=2"))) == 1
    Film.objects.get(slug="a-new-film").delete()
    assert "24 films" in text(client.get("/films/"))
    assert "a-new-film" not in shown_slugs(client.get("/films/"))
    assert client.get("/films/?page=2").status_code == 404


# Home and people index


def test_home_shows_films_in_focus_and_recent_releases(client):
    """The home page shows chosen films and the latest releases, not future ones."""
    today = timezone.localdate()
    make_film(title="Picked", in_focus=True)
    make_film(title="Last week", release_date=today - datetime.timedelta(days=7))
    make_film(title="Next month", release_date=today + datetime.timedelta(days=30))
    page = text(client.get("/"))
    assert "Films in focus Picked" in page
    assert "Recently released Last week" in page
    assert "Next month" not in page


def test_people_index_lists_people_alphabetically(client):
    """The people index lists everyone by name, with native names."""
    make_person(name="Yeon Sang-ho", native_name="연상호")
    make_person(name="Kang Soo-yeon")
    page = text(client.get("/people/"))
    assert page.index("Kang Soo-yeon") < page.index("Yeon Sang-ho 연상호")


# Query counts: a page costs the same however much is on it.


def test_film_page_query_count_does_not_grow_with_credits(count_queries, jung_e):
    """The film page runs 8 queries with 5 credits and with 305, with 2 stills
    and with 302, with 1 video and with 31."""
    make_still(jung_e, people=[jung_e.credits.first().person])
    make_video(jung_e)
    jung_e.poster = make_still(jung_e, kind="poster")
    jung_e.save()
    # film (+ original language, distributor, poster);
    # genres, countries, languages and production companies in one UNION;
    # alternative titles (+ country); watch links; credits (+ person,
    # portrait); the first stills (+ the count of all); videos (+ thumbnail);
    # articles.
    assert count_queries("/films/jung-e/") == 8
    add_credits(jung_e, 300)
    for _ in range(300):
        make_still(jung_e)
    for n in range(30):
        make_video(jung_e, url=f"https://vimeo.com/{n}")
    assert count_queries("/films/jung-e/") == 8


def test_person_page_query_count_does_not_grow_with_credits(count_queries):
    """The person page runs 5 queries with 3 credits and with 300, and in 1
    still or 100."""
    person = make_person(slug="busy")
    for n in range(3):
        make_credit(person=person, character=f"Role {n}")
    make_portrait(person)
    make_still(make_film(), people=[person])
    # person (+ native-name language, portrait); name variants; credits
    # (+ film); stills they are in (+ film); articles about them.
    assert count_queries("/people/busy/") == 5
    for n in range(297):
        make_credit(person=person, character=f"Role {n}")
    for _ in range(99):
        make_still(make_film(), people=[person])
    assert count_queries("/people/busy/") == 5


def test_film_index_query_count_does_not_grow_with_films(count_queries, uncached):
    """The film index runs the same queries with 3 films and with 300."""
    genre = make_genre(slug="drama")
    korea = make_country()
    for _ in range(3):
        make_film(year=2023, genres=[genre], countries=[korea])
    url = "/films/?genre=drama&country=kr&year=2023"
    # The first request after a change also reads what is memoised until the
    # next one: the years, genres and countries in use, and the list's keys.
    assert count_queries(url) == 10
    # genre lookup; country lookup; films (+ original language, by primary
    # key); their genres; genre menu; country menu.
    assert count_queries(url) == 6
    for _ in range(297):
        make_film(year=2023, genres=[genre], countries=[korea])
    assert count_queries(url) == 10
    assert count_queries(url) == 6
    assert count_queries(url + "&page=13") == 6


def test_people_index_query_count_does_not_grow(count_queries, uncached):
    """The people index runs 1 query with 3 people and with 300, on its first
    page and its last (2 on the first request after a change)."""
    for _ in range(3):
        make_person()
    # The list's keys, once per change; then the page's people (+ native-name
    # language) by primary key.
    assert count_queries("/people/") == 2
    assert count_queries("/people/") == 1
    for _ in range(297):
        make_person()
    assert count_queries("/people/") == 2
    assert count_queries("/people/") == 1
    assert count_queries("/people/?page=7") == 1


def test_home_query_count_does_not_grow(count_queries):
    """The home page runs 5 queries with 3 films and with 300."""
    today = timezone.localdate()
    for _ in range(3):
        make_film(in_focus=True, release_date=today)
    # latest news; latest reviews (no articles, so no bylines to fetch); films
    # in focus; recent films; the genres of both.
    assert count_queries("/") == 5
    for _ in range(297):
        make_film(in_focus=True, release_date=today)
    assert count_queries("/") == 5
