"""Checks before publishing, on the article's admin page: warnings to look at
again, and the films and people the body names in any spelling, with a box
that tags them."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import AlternativeTitle, PersonNameVariant
from news.checks import check, far_dates
from news.models import Article
from tests.factories import make_article, make_film, make_person, make_still
from tests.news.test_admin import staff
from tests.pages import posted_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(staff("editor", "Editors"))
    return client


@pytest.fixture
def catalog():
    film = make_film(title="Jung_E", slug="jung-e", year=2023)
    AlternativeTitle.objects.create(film=film, title="정이", kind="regional")
    actor = make_person(name="Ryu Kyung-soo", slug="ryu-kyung-soo")
    PersonNameVariant.objects.create(person=actor, name="Ryoo Kyung-soo")
    director = make_person(name="Yeon Sang-ho", slug="yeon-sang-ho")
    return film, actor, director


BODY = (
    "JUNG_E (정이) is Yeon Sang-ho’s third film for Netflix. "
    "Ryoo Kyung-soo plays the lab’s director, and Up is not a film here."
)


def test_names_in_any_spelling_are_offered_for_tagging(catalog):
    film, actor, director = catalog
    article = make_article(body=BODY, people=[director])
    labels = [suggestion.label for suggestion in check(article).suggestions]
    assert labels == [
        "Jung_E (2023) (film), named as “JUNG_E”",
        "Ryu Kyung-soo (person), named as “Ryoo Kyung-soo”",
    ]


def test_a_review_s_own_film_is_tagged_already(catalog):
    film, _actor, _director = catalog
    review = make_article(kind=Article.Kind.REVIEW, reviewed_film=film, body=BODY)
    assert not any(s.value == f"film:{film.pk}" for s in check(review).suggestions)


def test_one_tick_tags_the_article(editor, catalog):
    film, actor, _director = catalog
    article = make_article(body=BODY)
    change = f"/admin/news/article/{article.pk}/change/"
    form = editor.get(change)
    page = form.content.decode()
    assert "Tag the article with" in page
    assert "named as “Ryoo Kyung-soo”" in page
    data = posted_back(form, tag=[f"film:{film.pk}", f"person:{actor.pk}"])
    assert editor.post(change, data).status_code == 302
    assert list(article.films.all()) == [film]
    assert list(article.people.all()) == [actor]
    assert "Tag the article with" not in editor.get(change).content.decode() or (
        f"person:{actor.pk}" not in editor.get(change).content.decode()
    )


def test_a_body_link_is_a_one_tick_fix(editor, catalog):
    _film, actor, _director = catalog
    article = make_article(body="[Ryu](person:ryu-kyung-soo) again.")
    article.save()  # records the body's links
    from news import services

    services.record_body_links(article)
    labels = [s.label for s in check(article).suggestions]
    assert labels == ["Ryu Kyung-soo (person), linked in the body"]


def test_the_warnings_say_what_to_look_at(editor, catalog):
    article = make_article(
        headline="Jung_E gets a teaser",
        standfirst="",
        body=(
            "Jung_E gets a teaser\n\n"
            "Netflix showed the first footage on 20 January 2023.\n"
            "(Credit: Netflix)\n\n"
            "Share\nRecent Posts\nBusan announces its jury\n"
        ),
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    warnings = check(article).warnings
    assert "There is no standfirst: lists, feeds and link previews show one." in (
        warnings
    )
    assert "There is no lead image." in warnings
    assert "The body starts with the headline again." in warnings
    assert any("copied from a web page" in w and "“Share”" in w for w in warnings)
    assert "“(Credit: Netflix)” is a picture credit, not part of the text." in (
        warnings
    )
    assert any("months from its publication date" in w for w in warnings)
    page = editor.get(f"/admin/news/article/{article.pk}/change/").content.decode()
    assert "There is no lead image." in page


def test_a_clean_article_has_nothing_to_look_at(catalog):
    film, actor, director = catalog
    still = make_still(film, alt_text="Kang Soo-yeon in the lab")
    article = make_article(
        standfirst="The android film, reviewed.",
        body="Yeon Sang-ho directs.",
        lead_image=still,
        people=[director],
    )
    found = check(article)
    assert found.warnings == []
    assert found.suggestions == []


def test_a_lead_image_without_alt_text_is_noticed(catalog):
    film, _actor, _director = catalog
    article = make_article(lead_image=make_still(film, alt_text="", decorative=True))
    assert any("no alt text" in w for w in check(article).warnings)


def test_dates_near_publication_are_fine():
    published = timezone.make_aware(datetime.datetime(2023, 1, 25, 9))
    assert far_dates("It opens on January 20, 2023.", published) is None
    assert far_dates("No dates at all.", published) is None
    assert "20 January 2022" in far_dates("It opened on 20 January 2022.", published)
