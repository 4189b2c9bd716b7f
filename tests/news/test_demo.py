import pytest
from django.core.management import call_command

from news.models import Article

pytestmark = pytest.mark.django_db


def test_demo_articles_are_published_and_tied_to_the_catalog(client):
    """The demo carries two news pieces and a review about Jung_E."""
    call_command("load_demo")
    articles = Article.objects.published()
    assert sorted(articles.values_list("kind", flat=True)) == [
        "news",
        "news",
        "review",
    ]
    review = articles.get(kind="review")
    assert review.reviewed_film.slug == "jung-e"
    assert review.section.slug == "culture"
    assert not review.was_updated
    for article in articles:
        assert article.films.filter(slug="jung-e").exists()
        assert article.linked_people.exists()
        assert article.author_list
    film_page = client.get("/films/jung-e/").content.decode()
    for article in articles:
        assert article.get_absolute_url() in film_page


def test_loading_the_demo_twice_adds_nothing_and_keeps_edits():
    """A second load_demo adds no article and keeps an edited headline."""
    call_command("load_demo")
    article = Article.objects.get(kind="review")
    article.headline = "Edited by staff"
    article.save()
    call_command("load_demo")
    assert Article.objects.count() == 3
    article.refresh_from_db()
    assert article.headline == "Edited by staff"
