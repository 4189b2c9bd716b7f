"""Changing a slug keeps the old addresses working: a permanent redirect to the
new ones, recorded on save and listed in the admin."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permalinks.models import OldSlug
from tests.factories import make_article, make_film, make_person

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


def redirect_of(client, url):
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def test_an_old_film_address_moves_permanently_with_everything_under_it(client):
    film = rename(make_film(title="Jung_E", slug="jung-e-2023"), "jung-e")
    assert redirect_of(client, "/films/jung-e-2023/") == "/films/jung-e/"
    assert redirect_of(client, "/films/jung-e-2023/stills/") == "/films/jung-e/stills/"
    assert redirect_of(client, "/films/jung-e-2023/feed/") == "/films/jung-e/feed/"
    assert (
        redirect_of(client, "/films/jung-e-2023/feed/atom/")
        == "/films/jung-e/feed/atom/"
    )
    assert client.get("/films/jung-e/").status_code == 200
    assert film.slug == "jung-e"


def test_the_query_string_comes_along(client):
    rename(make_film(slug="old"), "new")
    assert (
        redirect_of(client, "/films/old/?ref=newsletter")
        == "/films/new/?ref=newsletter"
    )


def test_an_old_person_address_moves_permanently(client):
    rename(make_person(slug="ryoo-kyung-soo"), "ryu-kyung-soo")
    assert redirect_of(client, "/people/ryoo-kyung-soo/") == "/people/ryu-kyung-soo/"
    assert (
        redirect_of(client, "/people/ryoo-kyung-soo/feed/json/")
        == "/people/ryu-kyung-soo/feed/json/"
    )


def test_an_old_article_address_goes_straight_to_the_articles_own(client):
    review = rename(make_article(kind="review", slug="jung-e-verdict"), "jung-e-review")
    assert redirect_of(client, "/reviews/jung-e-verdict/") == "/reviews/jung-e-review/"
    # Asked for under /news/, it still lands on its one address in one hop.
    assert redirect_of(client, "/news/jung-e-verdict/") == review.get_absolute_url()


def test_a_draft_does_not_give_away_its_new_address(client):
    draft = make_article(slug="first-look", status="draft")
    rename(draft, "secret-new-title")
    assert client.get("/news/first-look/").status_code == 404


def test_several_renames_lead_to_the_latest_in_one_hop(client):
    film = make_film(slug="a")
    for slug in ("b", "c"):
        rename(film, slug)
    assert redirect_of(client, "/films/a/") == "/films/c/"
    assert redirect_of(client, "/films/b/") == "/films/c/"


def test_taking_an_old_slug_back_drops_its_redirect(client):
    film = make_film(slug="a")
    rename(film, "b")
    rename(film, "a")
    assert client.get("/films/a/").status_code == 200
    assert redirect_of(client, "/films/b/") == "/films/a/"
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["b"]


def test_a_new_film_may_use_an_old_slug_and_wins(client):
    rename(make_film(title="First", slug="shared"), "first")
    make_film(title="Second", slug="shared")
    response = client.get("/films/shared/")
    assert response.status_code == 200
    assert "Second" in response.content.decode()


def test_deleting_an_object_forgets_its_old_addresses(client):
    film = rename(make_film(slug="old"), "new")
    film.delete()
    assert not OldSlug.objects.exists()
    assert client.get("/films/old/").status_code == 404


def test_an_old_slug_of_a_film_does_not_move_a_person(client):
    rename(make_film(slug="kim"), "kim-film")
    assert client.get("/people/kim/").status_code == 404


def test_a_page_not_found_costs_a_fixed_few_queries(client):
    for n in range(30):
        rename(make_film(slug=f"f{n}"), f"g{n}")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/films/nothing-here/").status_code == 404
    # the film lookup; the content type is cached; the old-slug lookup.
    assert len(queries) <= 3


def test_feed_items_keep_their_ids_when_the_slug_changes(client):
    article = make_article(slug="teaser")
    before = feedparser.parse(client.get("/feeds/latest/").content).entries[0]
    rename(article, "first-teaser")
    after = feedparser.parse(client.get("/feeds/latest/").content).entries[0]
    assert after.id == before.id
    assert after.link.endswith("/news/first-teaser/")


def test_editors_change_a_slug_in_the_admin_and_see_the_old_address_listed(
    admin_client,
):
    person = make_person(name="Ryoo Kyung-soo", slug="ryoo-kyung-soo")
    data = {
        "name": "Ryu Kyung-soo",
        "slug": "ryu-kyung-soo",
        "portrait-TOTAL_FORMS": "0",
        "portrait-INITIAL_FORMS": "0",
        "name_variants-TOTAL_FORMS": "0",
        "name_variants-INITIAL_FORMS": "0",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/catalog/person/{person.pk}/change/", data)
    assert response.status_code == 302
    listing = admin_client.get("/admin/permalinks/oldslug/").content.decode()
    assert "ryoo-kyung-soo" in listing
    assert 'href="/people/ryu-kyung-soo/"' in listing
    assert admin_client.get("/admin/permalinks/oldslug/add/").status_code == 403


def test_the_admin_index_lists_old_addresses_by_their_plural(admin_client):
    """The admin's sidebar and index say "Old addresses", not "Old addresss"."""
    index = admin_client.get("/admin/").content.decode()
    assert ">Old addresses</a>" in index
    assert "addresss" not in index
