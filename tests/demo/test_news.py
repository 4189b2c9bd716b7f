import pytest
from django.core.management import call_command

from news.models import Article
from tests.pages import text

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
    """A forced second load_demo adds no article and keeps an edited headline."""
    call_command("load_demo")
    article = Article.objects.get(kind="review")
    article.headline = "Edited by staff"
    article.save()
    call_command("load_demo", "--force")
    assert Article.objects.count() == 3
    article.refresh_from_db()
    assert article.headline == "Edited by staff"


def test_demo_articles_are_led_by_the_films_stills(client):
    """Each demo article opens with a Jung_E still, captioned and credited, the
    same still that sits in the film's gallery."""
    call_command("load_demo")
    leads = {
        article.slug: article.lead_image
        for article in Article.objects.select_related("lead_image__film")
    }
    assert set(leads) == {
        "netflix-releases-jung-e-set-stills",
        "jung-e-first-teaser-trailer",
        "jung-e-review",
    }
    assert len({still.pk for still in leads.values()}) == 3
    for slug, still in leads.items():
        assert still.film.slug == "jung-e"
        assert still.alt_text and still.credit
        page = client.get(Article.objects.get(slug=slug).get_absolute_url())
        assert still.webp_srcset.split(" ")[0] in page.content.decode()
    gallery = text(client.get("/films/jung-e/stills/"))
    assert all(still.caption in gallery for still in leads.values())


def test_a_lead_image_an_editor_chose_survives_a_rerun():
    call_command("load_demo")
    article = Article.objects.get(slug="jung-e-review")
    other = article.lead_image.film.stills.exclude(pk=article.lead_image_id).first()
    article.lead_image = other
    article.save()
    call_command("load_demo", "--force")
    article.refresh_from_db()
    assert article.lead_image == other
