import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import AlternativeTitle, Film, PersonNameVariant
from tests.factories import make_film, make_person

pytestmark = pytest.mark.django_db

FILM_ADD = "/admin/catalog/film/add/"


def film_form(credits: list[dict], **fields) -> dict:
    """The POST data of the film admin form, with `credits` as inline rows."""
    data = {
        "title": "Jung_E",
        "slug": "jung-e",
        "kind": "feature",
        "status": "released",
        "release_date": "2023-01-20",
        "runtime": "99",
        "new_stills_kind": "production",
        **fields,
    }
    for prefix, rows in [
        ("alternative_titles", []),
        ("credits", credits),
        ("watch_links", []),
        ("stills", []),
        ("videos", []),
    ]:
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for n, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{n}-{name}"] = value
    return data


def credit_row(person, **fields) -> dict:
    return {
        "person": str(person.pk),
        "department": "cast",
        "job": "",
        "character": "",
        "billing_order": "0",
        **fields,
    }


def test_a_film_with_300_credits_saves_from_the_admin(admin_client):
    """An editor can save a film with 300 credit rows in one form."""
    people = [make_person() for _ in range(300)]
    rows = [
        credit_row(person, character=f"Role {n}", billing_order=str(n))
        for n, person in enumerate(people)
    ]
    data = film_form(rows)
    assert len(data) > 1000  # more fields than Django's default limit
    response = admin_client.post(FILM_ADD, data)
    assert response.status_code == 302, response.content[:2000]
    assert Film.objects.get(slug="jung-e").credits.count() == 300


def test_an_invalid_credit_row_keeps_what_the_editor_typed(admin_client):
    """A bad row is marked, nothing is saved and every typed value is kept."""
    actor, editor, composer = make_person(), make_person(), make_person()
    rows = [
        credit_row(actor, character="Yun Jung-yi", billing_order="1"),
        credit_row(editor, department="editing", job="Editor", character="Ghost"),
        credit_row(composer, department="music", job="Music"),
    ]
    response = admin_client.post(FILM_ADD, film_form(rows, synopsis="Typed text"))
    assert response.status_code == 200
    assert not Film.objects.exists()
    credits_formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "credits"
    )
    assert credits_formset.errors == [
        {},
        {"character": ["Only cast credits name a character."]},
        {},
    ]
    html = response.content.decode()
    for typed in ["Yun Jung-yi", "Ghost", "Editor", "Music", "Typed text"]:
        assert typed in html


def test_a_duplicate_credit_is_a_form_error(admin_client):
    """The same credit twice in the form is refused with a message."""
    person = make_person()
    row = credit_row(person, department="directing", job="Director")
    response = admin_client.post(FILM_ADD, film_form([row, dict(row)]))
    assert response.status_code == 200
    assert not Film.objects.exists()
    assert "Please correct the duplicate data" in response.content.decode()


def test_a_taken_slug_is_a_form_error(admin_client):
    """A slug already in use is refused with a clear message."""
    make_film(slug="jung-e")
    response = admin_client.post(FILM_ADD, film_form([]))
    assert response.status_code == 200
    assert "Film with this Slug already exists." in response.content.decode()


def test_film_search_finds_alternative_titles(admin_client):
    """Staff find a film by any of its titles."""
    film = make_film(title="Jung_E", original_title="정이")
    AlternativeTitle.objects.create(film=film, title="Jeong-i", kind="romanised")
    make_film(title="Other")
    for query in ["Jeong-i", "정이", "jung_e"]:
        response = admin_client.get("/admin/catalog/film/", {"q": query})
        assert list(response.context["cl"].result_list) == [film], query


def test_person_search_finds_name_variants(admin_client):
    """Staff find a person by name, native name or another spelling."""
    person = make_person(name="Ryu Kyung-soo", native_name="류경수")
    PersonNameVariant.objects.create(person=person, name="Ryoo Kyung-soo")
    make_person(name="Someone else")
    for query in ["Ryoo", "류경수", "ryu kyung"]:
        response = admin_client.get("/admin/catalog/person/", {"q": query})
        assert list(response.context["cl"].result_list) == [person], query


def test_person_change_page_shows_their_credits(admin_client):
    """The person's credits are listed on their admin page."""
    person = make_person()
    make_film(title="Jung_E").credits.create(
        person=person, department="cast", character="Yun Seo-hyun"
    )
    response = admin_client.get(f"/admin/catalog/person/{person.pk}/change/")
    assert response.status_code == 200
    assert "Yun Seo-hyun" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/catalog/film/",
        "/admin/catalog/film/add/",
        "/admin/catalog/person/",
        "/admin/catalog/person/add/",
        "/admin/catalog/genre/",
        "/admin/catalog/country/",
        "/admin/catalog/language/",
        "/admin/catalog/company/",
    ],
)
def test_admin_pages_open(admin_client, url):
    """Every catalog admin page opens for staff."""
    assert admin_client.get(url).status_code == 200


def admin_page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "build"),
    [("/admin/catalog/film/", make_film), ("/admin/catalog/person/", make_person)],
)
def test_changelist_query_count_does_not_grow(admin_client, url, build):
    """A changelist runs the same queries with 3 rows and with 300."""
    for _ in range(3):
        build()
    small = admin_page_queries(admin_client, url)
    for _ in range(297):
        build()
    assert admin_page_queries(admin_client, url) == small
    assert small <= 10


def test_film_change_page_labels_every_credit_row(admin_client):
    """Each credit row shows its person, selected in the autocomplete."""
    film = make_film()
    person = make_person(name="Kim Hyun-joo")
    film.credits.create(person=person, department="cast", character="Yun Jung-yi")
    html = admin_client.get(f"/admin/catalog/film/{film.pk}/change/").content.decode()
    assert f'<option value="{person.pk}" selected>Kim Hyun-joo</option>' in html


@pytest.mark.parametrize("page", ["film", "person"])
def test_change_page_query_count_does_not_grow_with_credits(admin_client, page):
    """A film's or person's admin page runs the same queries with 3 and 100
    credits: the autocomplete rows are labelled in one query."""
    film, person = make_film(), make_person()
    url = (
        f"/admin/catalog/film/{film.pk}/change/"
        if page == "film"
        else f"/admin/catalog/person/{person.pk}/change/"
    )

    def add_credits(count):
        for _ in range(count):
            if page == "film":
                film.credits.create(person=make_person(), department="cast")
            else:
                make_film().credits.create(person=person, department="cast")

    add_credits(3)
    small = admin_page_queries(admin_client, url)
    add_credits(97)
    assert admin_page_queries(admin_client, url) == small
