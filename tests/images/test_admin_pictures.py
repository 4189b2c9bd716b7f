"""Editors' side of pictures: bulk upload, thumbnails, posters, portraits, videos."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Film, Portrait, Still, Video
from tests.catalog.test_admin import film_form
from tests.factories import (
    image_bytes,
    image_upload,
    make_film,
    make_person,
    make_portrait,
    make_still,
    make_video,
)
from tests.images.test_uploads import after_commit, stored_files

pytestmark = pytest.mark.django_db


def change_url(film) -> str:
    return f"/admin/catalog/film/{film.pk}/change/"


def bulk_form(film, files, **fields) -> dict:
    data = film_form([], title=film.title, slug=film.slug, **fields)
    data["new_stills"] = files
    return data


def test_an_editor_uploads_several_stills_at_once(admin_client, media_root):
    film = make_film(title="Jung_E", slug="jung-e")
    files = [image_upload(f"set-{n}.jpg", 800, 450) for n in range(3)]
    with after_commit():
        response = admin_client.post(
            change_url(film),
            bulk_form(
                film,
                files,
                new_stills_alt_text="Cast and crew at work on the laboratory set",
                new_stills_credit="Netflix",
            ),
        )
    assert response.status_code == 302
    stills = list(film.stills.all())
    assert len(stills) == 3
    assert [still.position for still in stills] == [1, 2, 3]
    assert {still.credit for still in stills} == {"Netflix"}
    assert all(still.alt_text.startswith("Cast and crew") for still in stills)
    assert len(stored_files(media_root)) == 3 * (1 + 2 * 3)

    # Each is then captioned in the film's stills inline, with its thumbnail.
    page = admin_client.get(change_url(film)).content.decode()
    assert page.count('<img src="/media/images/') == 3


def test_bulk_uploaded_stills_follow_the_films_own(admin_client, media_root):
    """New stills go after the last of the film's stills, in upload order, and
    the editor is told how many were added."""
    film = make_film()
    make_still(film, caption="Teaser poster", kind="poster", position=5)
    files = [image_upload("first.jpg"), image_upload("second.jpg")]
    response = admin_client.post(
        change_url(film),
        bulk_form(
            film, files, new_stills_alt_text="On set", new_stills_kind="promotional"
        ),
        follow=True,
    )
    assert response.status_code == 200
    added = film.stills.exclude(caption="Teaser poster")
    assert [(still.position, still.kind) for still in added] == [
        (6, "promotional"),
        (7, "promotional"),
    ]
    messages = [str(message) for message in response.context["messages"]]
    assert (
        "2 stills added; caption each one in the stills below. Each is shown on "
        "the site once its renditions are ready (“processing” until then)."
    ) in messages


def test_one_bad_file_in_a_bulk_upload_saves_none_and_names_it(
    admin_client, media_root
):
    film = make_film()
    files = [
        image_upload("good.jpg"),
        SimpleUploadedFile("trailer.jpg", b"<html>not a picture</html>", "image/jpeg"),
    ]
    response = admin_client.post(
        change_url(film), bulk_form(film, files, new_stills_alt_text="A scene")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["new_stills"]
    assert any("“trailer.jpg” is not an image" in error for error in errors)
    assert not Still.objects.exists()
    assert stored_files(media_root) == []


def test_bulk_uploaded_stills_need_alt_text(admin_client, media_root):
    film = make_film()
    response = admin_client.post(
        change_url(film), bulk_form(film, [image_upload()], new_stills_alt_text="")
    )
    assert response.status_code == 200
    assert "new_stills_alt_text" in response.context["adminform"].form.errors
    assert stored_files(media_root) == []


def test_the_poster_is_chosen_among_the_films_own_stills(admin_client):
    film = make_film()
    own = make_still(film, caption="Teaser poster", kind="poster")
    other = make_still(make_film(), caption="Somebody else's poster")
    page = admin_client.get(change_url(film)).content.decode()
    assert "Teaser poster" in page
    assert "Somebody else" not in page

    data = film_form([], title=film.title, slug=film.slug, poster=str(other.pk))
    response = admin_client.post(change_url(film), data)
    assert response.status_code == 200
    assert "poster" in response.context["adminform"].form.errors

    data = film_form([], title=film.title, slug=film.slug, poster=str(own.pk))
    assert admin_client.post(change_url(film), data).status_code == 302
    assert Film.objects.get(pk=film.pk).poster == own


def test_video_thumbnails_are_offered_among_the_films_own_stills(admin_client):
    """Each video row, and the row "Add another" makes, lists the film's stills
    and no other film's."""
    film = make_film(title="Jung_E")
    own = make_still(film, caption="The laboratory set")
    other = make_still(make_film(), caption="Somebody else's set")
    make_video(film)
    page = admin_client.get(change_url(film)).content.decode()
    for name in ["videos-0-thumbnail", "videos-__prefix__-thumbnail"]:
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
        assert select, name
        assert f'<option value="{own.pk}">Jung_E: The laboratory set</option>' in (
            select.group()
        )
        assert f'value="{other.pk}"' not in select.group()


def test_film_admin_page_costs_the_same_with_3_stills_or_30(admin_client):
    """Thumbnails, tagged people and thumbnail choices are loaded once per page."""
    film = make_film()
    people = [make_person() for _ in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(change_url(film)).status_code == 200
        return len(queries)

    for _ in range(3):
        make_still(film, people=people)
    make_video(film)
    baseline = count()
    for _ in range(27):
        make_still(film, people=people)
    for n in range(5):
        make_video(film, url=f"https://vimeo.com/{n}")
    assert count() == baseline


def test_the_stills_list_shows_thumbnails(admin_client):
    make_still(make_film(title="Jung_E"), caption="The robot head on the floor")
    page = admin_client.get("/admin/catalog/still/").content.decode()
    assert '<img src="/media/images/' in page
    assert "The robot head on the floor" in page


def test_a_person_gets_a_portrait_from_their_admin_page(admin_client, media_root):
    person = make_person(name="Kang Soo-yeon", slug="kang-soo-yeon")
    data = {
        "name": person.name,
        "slug": person.slug,
        "portrait-TOTAL_FORMS": "1",
        "portrait-INITIAL_FORMS": "0",
        "portrait-0-image": image_upload("kang.jpg", 600, 800),
        "portrait-0-alt_text": "Kang Soo-yeon at a festival",
        "portrait-0-credit": "Filmsite",
        "name_variants-TOTAL_FORMS": "0",
        "name_variants-INITIAL_FORMS": "0",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    with after_commit():
        response = admin_client.post(f"/admin/catalog/person/{person.pk}/change/", data)
    assert response.status_code == 302
    portrait = Portrait.objects.get(person=person)
    assert (portrait.width, portrait.height) == (600, 800)
    assert portrait.is_ready


def test_a_video_needs_an_https_address(admin_client):
    film = make_film()
    data = film_form([], title=film.title, slug=film.slug)
    data.update(
        {
            "videos-TOTAL_FORMS": "1",
            "videos-0-kind": "teaser",
            "videos-0-title": "Teaser",
            "videos-0-url": "http://www.youtube.com/watch?v=abc",
            "videos-0-position": "0",
        }
    )
    response = admin_client.post(change_url(film), data)
    assert response.status_code == 200
    assert not Video.objects.exists()
    data["videos-0-url"] = "https://www.youtube.com/watch?v=abc"
    assert admin_client.post(change_url(film), data).status_code == 302
    assert Video.objects.get().provider == "YouTube"


def test_a_video_thumbnail_must_be_a_still_of_the_same_film(admin_client):
    film = make_film()
    other = make_still(make_film())
    data = film_form([], title=film.title, slug=film.slug)
    data.update(
        {
            "videos-TOTAL_FORMS": "1",
            "videos-0-kind": "trailer",
            "videos-0-title": "Trailer",
            "videos-0-url": "https://vimeo.com/1",
            "videos-0-thumbnail": str(other.pk),
            "videos-0-position": "0",
        }
    )
    response = admin_client.post(change_url(film), data)
    assert response.status_code == 200
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    ("url", "build"),
    [
        ("/admin/catalog/film/", lambda: poster_film()),
        ("/admin/catalog/person/", lambda: make_portrait(make_person()).person),
    ],
)
def test_film_and_people_lists_show_thumbnails_at_a_fixed_cost(
    admin_client, url, build
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode().count('<img src="/media/')

    for _ in range(3):
        build()
    queries, thumbnails = count()
    assert thumbnails == 3
    for _ in range(27):
        build()
    assert count() == (queries, 30)


def poster_film():
    film = make_film()
    film.poster = make_still(film, kind="poster")
    film.save()
    return film


# One still per request, as the upload script sends them


def upload_one(client, film, upload, **fields):
    data = {
        "new_stills": upload,
        "new_stills_alt_text": "On the laboratory set",
        "new_stills_credit": "Netflix",
        "new_stills_kind": "production",
        **fields,
    }
    with after_commit():
        return client.post(f"/admin/catalog/film/{film.pk}/stills/upload/", data)


def test_the_film_page_offers_the_upload_script_an_address(admin_client):
    film = make_film()
    page = admin_client.get(change_url(film)).content.decode()
    assert f'data-upload-url="/admin/catalog/film/{film.pk}/stills/upload/"' in page
    assert 'src="/static/js/bulk-upload.js"' in page
    # A film not saved yet has no address: its stills go with the form.
    other = admin_client.get("/admin/catalog/film/add/").content.decode()
    assert "data-upload-url" not in other
    assert 'src="/static/js/bulk-upload.js"' in other


def test_a_corrupt_file_in_a_batch_is_refused_by_name_and_the_others_saved(
    admin_client, media_root
):
    film = make_film()
    content = image_bytes(800, 600)
    uploads = [
        image_upload("first.jpg", 800, 450),
        SimpleUploadedFile("cut.jpg", content[: len(content) // 2], "image/jpeg"),
        image_upload("third.jpg", 800, 450),
    ]
    responses = [upload_one(admin_client, film, upload) for upload in uploads]
    assert [response.status_code for response in responses] == [201, 400, 201]
    [error] = responses[1].json()["errors"]["new_stills"]
    assert "“cut.jpg” is damaged or incomplete" in error
    assert responses[0].json()["status"] == "processing"

    stills = list(film.stills.all())
    assert [still.position for still in stills] == [1, 2]
    assert all(still.is_ready and still.credit == "Netflix" for still in stills)
    expected = sorted(name for still in stills for name in still.file_names())
    assert stored_files(media_root) == expected


def test_a_still_sent_alone_needs_alt_text(admin_client, media_root):
    response = upload_one(
        admin_client, make_film(), image_upload(), new_stills_alt_text=""
    )
    assert response.status_code == 400
    assert "new_stills_alt_text" in response.json()["errors"]
    assert not Still.objects.exists()
    assert stored_files(media_root) == []


def test_only_editors_who_may_add_stills_can_send_one(client, media_root):
    writer = User.objects.create_user("writer", password="x" * 12, is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_film", "change_film"])
    )
    client.force_login(writer)
    response = upload_one(client, make_film(), image_upload())
    assert response.status_code == 403
    assert not Still.objects.exists()
    assert stored_files(media_root) == []


def test_the_still_upload_address_takes_posts_only(admin_client):
    film = make_film()
    response = admin_client.get(f"/admin/catalog/film/{film.pk}/stills/upload/")
    assert response.status_code == 405


@pytest.mark.django_db(transaction=True)
def test_stills_stored_by_a_save_that_is_rolled_back_leave_no_files(
    admin_client, media_root, monkeypatch
):
    """A film save whose transaction rolls back after its new stills were stored
    (here a unique value taken a moment ago, found when the save is nearly
    done) leaves only the files of the save that went through: none of the
    rolled-back one's stay behind as orphans."""
    from django.db import IntegrityError

    from catalog import services
    from images.inventory import referenced_names

    film = make_film(title="Jung_E", slug="jung-e")
    add_stills = services.add_stills
    attempts = []

    def stored_then_taken(*args, **kwargs):
        stills = add_stills(*args, **kwargs)
        attempts.append(stills)
        if len(attempts) == 1:
            raise IntegrityError("taken a moment ago")
        return stills

    monkeypatch.setattr(services, "add_stills", stored_then_taken)
    files = [image_upload(f"set-{n}.jpg", 800, 450) for n in range(2)]

    response = admin_client.post(
        change_url(film), bulk_form(film, files, new_stills_alt_text="On set")
    )

    assert response.status_code == 302
    assert len(attempts) == 2
    assert Still.objects.filter(film=film).count() == 2
    assert set(stored_files(media_root)) == referenced_names()
