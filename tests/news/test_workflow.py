import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from news.models import Article
from tests.factories import make_author, make_film, make_person, make_section

pytestmark = pytest.mark.django_db


def staff_client(username: str, group: str) -> Client:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def test_a_writer_drafts_an_editor_schedules_and_readers_see_it_on_time(
    client, monkeypatch
):
    """From a writer's draft to an editor's schedule to every public page."""
    call_command("setup_roles", verbosity=0)
    writer = staff_client("writer", "Writers")
    editor = staff_client("editor", "Editors")
    film = make_film(title="Jung_E", slug="jung-e")
    person = make_person(name="Kim Hyun-joo", slug="kim-hyun-joo")
    section = make_section(name="Film News", slug="film-news")
    author = make_author(name="Mira Kwon", slug="mira-kwon")

    # The writer drafts the piece, tagged with the film and the actress.
    response = writer.post(
        "/admin/news/article/add/",
        {
            "kind": "news",
            "headline": "Jung_E gets a teaser",
            "slug": "jung-e-teaser",
            "standfirst": "The first look.",
            "body": "[Kim Hyun-joo](person:kim-hyun-joo) leads the cast.",
            "section": section.pk,
            "films": [film.pk],
            "people": [person.pk],
            "rating": "",
            "verdict": "",
            "correction": "",
            "corrected_at_0": "",
            "corrected_at_1": "",
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="jung-e-teaser")
    assert article.status == Article.Status.DRAFT
    assert client.get("/news/jung-e-teaser/").status_code == 404

    # The editor schedules it for tomorrow morning.
    form = (
        editor.get(f"/admin/news/article/{article.pk}/change/")
        .context["adminform"]
        .form
    )
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    data = {
        "kind": "news",
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": section.pk,
        "films": [film.pk],
        "people": [person.pk],
        "status": "published",
        "published_at_0": tomorrow.strftime("%Y-%m-%d"),
        "published_at_1": "08:00:00",
        "rating": "",
        "verdict": "",
        "correction": "",
        "corrected_at_0": "",
        "corrected_at_1": "",
        "loaded_state": form["loaded_state"].value(),
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "1",
        "bylines-0-id": article.bylines.get().pk,
        "bylines-0-article": article.pk,
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
    }
    response = editor.post(f"/admin/news/article/{article.pk}/change/", data)
    assert response.status_code == 302
    for url in ["/news/jung-e-teaser/", "/news/", "/films/jung-e/", "/"]:
        assert "Jung_E gets a teaser" not in client.get(url).content.decode()

    # Tomorrow it is everywhere, with no job having run.
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get("/news/jung-e-teaser/").status_code == 200
    for url in ["/news/", "/films/jung-e/", "/people/kim-hyun-joo/", "/"]:
        assert "Jung_E gets a teaser" in client.get(url).content.decode(), url
