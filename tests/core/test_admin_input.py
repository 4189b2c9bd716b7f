"""A NUL character in an admin search, list filter or autocomplete request is
no match, never a 500: PostgreSQL cannot take one in a query."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin_input import check_unstorable_input
from search.models import SearchEntry
from tests.factories import make_article, make_credit, make_film, make_person

pytestmark = pytest.mark.django_db

ADMINS = sorted(
    (model._meta.label, model_admin)
    for model, model_admin in admin.site._registry.items()
)


def changelist(model_admin) -> str:
    meta = model_admin.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


@pytest.fixture
def content():
    film = make_film(title="Jung_E")
    make_credit(film=film, person=make_person(name="Kang Soo-yeon"))
    make_article(films=[film])


@pytest.mark.parametrize(("label", "model_admin"), ADMINS, ids=[a for a, _ in ADMINS])
def test_a_nul_in_the_search_box_finds_nothing(
    admin_client, content, label, model_admin
):
    if not model_admin.search_fields:
        pytest.skip(f"{label} has no search box")
    response = admin_client.get(changelist(model_admin), {"q": "Jung\x00E"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(("label", "model_admin"), ADMINS, ids=[a for a, _ in ADMINS])
def test_a_nul_in_a_list_filter_finds_nothing(
    admin_client, content, label, model_admin
):
    url = changelist(model_admin)
    page = admin_client.get(url).content.decode()
    filters = page.partition('id="changelist-filter"')[2]
    links = [unescape(h) for h in re.findall(r'href="\?([^"]+)"', filters)]
    if not links:
        pytest.skip(f"{label} has no list filter")
    name = links[-1].split("&")[0].split("=")[0]
    response = admin_client.get(url, {name: "x\x00"})
    assert response.status_code in (200, 302), name
    if response.status_code == 200:
        assert response.context["cl"].result_count == 0


def test_a_nul_in_an_autocomplete_request_finds_nothing(admin_client, content):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "Kang\x00",
            "app_label": "catalog",
            "model_name": "credit",
            "field_name": "person",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_admin_without_the_handling_fails_the_checks():
    assert check_unstorable_input(None) == []
    admin.site.register(SearchEntry, admin.ModelAdmin)
    try:
        errors = check_unstorable_input(None)
    finally:
        admin.site.unregister(SearchEntry)
    assert [error.id for error in errors] == ["core.E002"]
