"""A still that a published or scheduled article leads with cannot be deleted,
whatever the path; a draft leading with it loses its lead image."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from catalog.models import Film, Still
from news.models import Article
from tests.catalog.test_admin import film_form
from tests.factories import image_upload, make_article, make_film, make_still
from tests.images.test_uploads import stored_files
from tests.news.test_admin import staff

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", "Editors"))
    return client


def stored_still(film=None, **fields) -> Still:
    """A still with its files written, as an upload leaves it."""
    still = Still(
        film=film or make_film(), alt_text="A robot head", image=image_upload()
    )
    for name, value in fields.items():
        setattr(still, name, value)
    still.save()
    return still


def change_link(article) -> str:
    return f'<a href="/admin/news/article/{article.pk}/change/">{article.headline}</a>'


# The rule, whatever the code path


@pytest.mark.parametrize("when", [-HOUR, HOUR], ids=["live", "scheduled"])
def test_a_still_leading_a_published_article_cannot_be_deleted(when):
    still = make_still()
    article = make_article(lead_image=still, published_at=timezone.now() + when)
    with pytest.raises(ProtectedError) as error:
        still.delete()
    assert error.value.protected_objects == {article}
    assert Still.objects.filter(pk=still.pk).exists()
    article.refresh_from_db()
    assert article.lead_image == still


def test_nor_can_its_film_or_a_queryset_holding_it():
    film = make_film()
    still = make_still(film)
    make_article(lead_image=still)
    with pytest.raises(ProtectedError):
        film.delete()
    with pytest.raises(ProtectedError):
        Still.objects.filter(film=film).delete()
    assert Film.objects.filter(pk=film.pk).exists()
    assert Still.objects.filter(pk=still.pk).exists()


def test_a_draft_loses_its_lead_image_when_the_still_is_deleted():
    still = make_still()
    draft = make_article(lead_image=still, status=Article.Status.DRAFT)
    still.delete()
    draft.refresh_from_db()
    assert draft.lead_image is None


# The still's delete page


def test_deleting_a_still_of_a_published_article_is_refused_naming_it(
    editor_client, media_root
):
    """The delete page names the articles, links to them, and offers no button;
    a crafted confirmation deletes nothing either."""
    still = stored_still()
    files = stored_files(media_root)
    live = make_article(lead_image=still, headline="Set stills out")
    scheduled = make_article(
        lead_image=still,
        headline="Coming soon",
        published_at=timezone.now() + HOUR,
    )
    url = f"/admin/catalog/still/{still.pk}/delete/"
    page = editor_client.get(url).content.decode()
    assert "cannot be deleted" in page
    assert "published or scheduled articles lead with it" in page
    assert change_link(live) in page
    assert change_link(scheduled) in page
    assert "Yes, I’m sure" not in page

    response = editor_client.post(url, {"post": "yes"})
    assert "cannot be deleted" in response.content.decode()
    assert Still.objects.filter(pk=still.pk).exists()
    assert stored_files(media_root) == files
    live.refresh_from_db()
    assert live.lead_image == still


def test_a_still_leading_only_a_draft_is_deleted_and_the_draft_told(
    editor_client, media_root, django_capture_on_commit_callbacks
):
    still = stored_still()
    draft = make_article(
        lead_image=still, headline="Work in progress", status=Article.Status.DRAFT
    )
    url = f"/admin/catalog/still/{still.pk}/delete/"
    page = editor_client.get(url).content.decode()
    assert "These are kept, without the picture:" in page
    assert change_link(draft) + " loses its lead image" in page
    assert "Yes, I’m sure" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Still.objects.filter(pk=still.pk).exists()
    assert stored_files(media_root) == []
    draft.refresh_from_db()
    assert draft.lead_image is None


def test_bulk_deleting_stills_is_refused_while_one_leads_a_published_article(
    editor_client,
):
    film = make_film()
    kept, free = make_still(film), make_still(film)
    article = make_article(lead_image=kept, headline="Set stills out")
    data = {"action": "delete_selected", "_selected_action": [kept.pk, free.pk]}
    page = editor_client.post("/admin/catalog/still/", data).content.decode()
    assert "cannot be deleted" in page
    assert change_link(article) in page
    assert "Yes, I’m sure" not in page

    response = editor_client.post("/admin/catalog/still/", data | {"post": "yes"})
    assert response.status_code == 200
    assert Still.objects.filter(pk__in=[kept.pk, free.pk]).count() == 2


def test_bulk_deleting_stills_of_drafts_says_which_lose_their_lead_image(
    editor_client,
):
    film = make_film()
    still = make_still(film)
    draft = make_article(lead_image=still, status=Article.Status.DRAFT)
    data = {"action": "delete_selected", "_selected_action": [still.pk]}
    page = editor_client.post("/admin/catalog/still/", data).content.decode()
    assert change_link(draft) + " loses its lead image" in page
    response = editor_client.post("/admin/catalog/still/", data | {"post": "yes"})
    assert response.status_code == 302
    assert not Still.objects.exists()
    draft.refresh_from_db()
    assert draft.lead_image is None


# The film's pages


def test_deleting_a_film_whose_still_leads_a_published_article_is_refused(
    editor_client, media_root
):
    film = make_film(title="Jung_E")
    still = stored_still(film)
    files = stored_files(media_root)
    article = make_article(lead_image=still, headline="Set stills out")
    url = f"/admin/catalog/film/{film.pk}/delete/"
    page = editor_client.get(url).content.decode()
    assert "cannot be deleted" in page
    assert change_link(article) in page
    assert "Yes, I’m sure" not in page

    editor_client.post(url, {"post": "yes"})
    data = {"action": "delete_selected", "_selected_action": [film.pk]}
    page = editor_client.post("/admin/catalog/film/", data).content.decode()
    assert change_link(article) in page
    editor_client.post("/admin/catalog/film/", data | {"post": "yes"})
    assert Film.objects.filter(pk=film.pk).exists()
    assert Still.objects.filter(pk=still.pk).exists()
    assert stored_files(media_root) == files


def test_the_films_delete_page_says_which_drafts_lose_their_lead_image(
    editor_client,
):
    film = make_film(title="Jung_E")
    draft = make_article(lead_image=make_still(film), status=Article.Status.DRAFT)
    page = editor_client.get(f"/admin/catalog/film/{film.pk}/delete/")
    assert change_link(draft) + " loses its lead image" in page.content.decode()


def still_row(still, **fields) -> dict:
    return {
        "id": str(still.pk),
        "film": str(still.film_id),
        "kind": still.kind,
        "caption": still.caption,
        "alt_text": still.alt_text,
        "credit": still.credit,
        "position": str(still.position),
        **fields,
    }


def film_change(film, stills: list[dict], **fields) -> dict:
    data = film_form(
        [], title=film.title, slug=film.slug, runtime="", release_date="", **fields
    )
    data["stills-TOTAL_FORMS"] = data["stills-INITIAL_FORMS"] = str(len(stills))
    for n, row in enumerate(stills):
        for name, value in row.items():
            data[f"stills-{n}-{name}"] = value
    return data


def test_the_stills_inline_refuses_to_delete_a_lead_image_keeping_the_edits(
    editor_client, media_root
):
    """Ticking "delete" on a still a published article leads with is a form
    error naming the article; the film's other edits are shown again."""
    film = make_film(title="Jung_E")
    still = stored_still(film)
    files = stored_files(media_root)
    article = make_article(lead_image=still, headline="Set stills out")
    data = film_change(
        film, [still_row(still, DELETE="on")], synopsis="A new synopsis, typed"
    )
    response = editor_client.post(f"/admin/catalog/film/{film.pk}/change/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "published or scheduled articles lead with it" in page
    assert "Set stills out" in page
    assert "A new synopsis, typed" in page
    assert Still.objects.filter(pk=still.pk).exists()
    assert stored_files(media_root) == files
    film.refresh_from_db()
    assert film.synopsis == ""
    article.refresh_from_db()
    assert article.lead_image == still


def test_the_stills_inline_deletes_a_still_only_a_draft_leads_with(editor_client):
    film = make_film(title="Jung_E")
    still = make_still(film)
    draft = make_article(lead_image=still, status=Article.Status.DRAFT)
    data = film_change(film, [still_row(still, DELETE="on")])
    response = editor_client.post(f"/admin/catalog/film/{film.pk}/change/", data)
    assert response.status_code == 302
    assert not Still.objects.exists()
    draft.refresh_from_db()
    assert draft.lead_image is None


def check_misses_the_first_time(monkeypatch, model_admin_class) -> None:
    """As if an article were published with the still between the delete
    page's check and the delete itself: the first check finds nothing."""
    original = model_admin_class.get_deleted_objects
    calls = []

    def first_misses(self, objs, request):
        calls.append(objs)
        to_delete, model_count, perms_needed, protected = original(self, objs, request)
        return (
            to_delete,
            model_count,
            perms_needed,
            [] if len(calls) == 1 else protected,
        )

    monkeypatch.setattr(model_admin_class, "get_deleted_objects", first_misses)


def test_a_still_published_with_during_its_delete_is_refused_not_a_500(
    editor_client, monkeypatch
):
    from catalog.admin import StillAdmin

    still = make_still()
    article = make_article(lead_image=still, headline="Set stills out")
    check_misses_the_first_time(monkeypatch, StillAdmin)

    response = editor_client.post(
        f"/admin/catalog/still/{still.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 200
    assert change_link(article) in response.content.decode()
    assert Still.objects.filter(pk=still.pk).exists()


def test_a_bulk_delete_that_meets_a_new_publication_is_refused_not_a_500(
    editor_client, monkeypatch
):
    from catalog.admin import StillAdmin

    still = make_still()
    article = make_article(lead_image=still, headline="Set stills out")
    check_misses_the_first_time(monkeypatch, StillAdmin)
    data = {"action": "delete_selected", "_selected_action": [still.pk], "post": "yes"}

    response = editor_client.post("/admin/catalog/still/", data)

    assert response.status_code == 200
    assert change_link(article) in response.content.decode()
    assert Still.objects.filter(pk=still.pk).exists()
