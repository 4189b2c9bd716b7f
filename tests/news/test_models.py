import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from news.models import Article
from tests.factories import make_article, make_film, make_person, make_section

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_only_published_articles_whose_time_has_come_are_public():
    """Drafts and scheduled articles are not public; published ones are."""
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + HOUR)
    assert list(Article.objects.published()) == [live]


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(monkeypatch):
    """No job runs at the publication time: the article is simply visible then."""
    scheduled = make_article(published_at=timezone.now() + HOUR)
    assert scheduled.is_scheduled and not scheduled.is_live
    later = timezone.now() + 2 * HOUR
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert list(Article.objects.published()) == [scheduled]
    assert scheduled.is_live and not scheduled.is_scheduled


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"kind": "review", "reviewed_film": None}, id="review-no-film"),
        pytest.param({"kind": "news", "reviewed_film": "film"}, id="news-with-film"),
        pytest.param(
            {"kind": "review", "reviewed_film": "film", "rating": Decimal("3.3")},
            id="rating-not-half-step",
        ),
        pytest.param(
            {"kind": "review", "reviewed_film": "film", "rating": Decimal("5.5")},
            id="rating-above-five",
        ),
        pytest.param({"kind": "news", "rating": Decimal("3.0")}, id="rating-on-news"),
        pytest.param(
            {"status": "published", "published_at": None}, id="published-no-time"
        ),
    ],
)
def test_the_database_refuses_impossible_articles(fields):
    """Rules about reviews, ratings and publication hold in the database."""
    if fields.get("reviewed_film") == "film":
        fields["reviewed_film"] = make_film()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(**fields)


def test_ratings_go_in_half_steps_from_half_to_five():
    """A review can carry any rating from 0.5 to 5 in half steps."""
    for rating in ["0.5", "3.5", "5.0"]:
        review = make_article(kind="review", rating=Decimal(rating))
        review.refresh_from_db()
        assert review.rating == Decimal(rating)


def test_validation_explains_review_rules_on_the_right_field():
    """An editor sees why a review or a news piece does not validate."""
    review = Article(
        kind="review", headline="R", slug="r", section=make_section(), body=""
    )
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert error.value.message_dict["reviewed_film"] == [
        "A review names the film it reviews."
    ]
    news = Article(
        kind="news",
        headline="N",
        slug="n",
        section=make_section(),
        reviewed_film=make_film(),
        rating=Decimal("4.0"),
    )
    with pytest.raises(ValidationError) as error:
        news.full_clean()
    assert error.value.message_dict["reviewed_film"] == [
        "Only reviews name a reviewed film."
    ]
    assert error.value.message_dict["rating"] == ["Only reviews carry a rating."]


def test_a_link_to_a_missing_catalog_entry_is_a_validation_error():
    """A body that links to a film or person that does not exist is refused."""
    make_person(slug="kim-hyun-joo")
    article = Article(
        headline="H",
        slug="h",
        section=make_section(),
        body="[Kim](person:kim-hyun-joo) and [Nobody](person:no-one) in "
        "[Lost](film:lost-film).",
    )
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    message = error.value.message_dict["body"][0]
    assert "person:no-one" in message
    assert "film:lost-film" in message
    assert "kim-hyun-joo" not in message


def test_saving_renders_the_body_and_strips_control_characters():
    """Saving stores the rendered body and drops characters pasted from Word."""
    film = make_film(slug="jung-e")
    article = make_article(
        headline="Jung_E\x0b is here\x1f",
        standfirst="A\x0cB",
        body="See [Jung_E](film:jung-e), 정이 🎬.\x0b",
    )
    article.refresh_from_db()
    assert article.headline == "Jung_E is here"
    assert article.standfirst == "AB"
    assert f'<a href="{film.get_absolute_url()}">Jung_E</a>' in article.body_html
    assert "정이 🎬" in article.body_html
    assert "\x0b" not in article.body


def test_each_save_moves_the_version_on():
    """Every save moves the version on (a count of saves)."""
    article = make_article()
    first = article.version
    article.save()
    assert article.version == first + 1
