"""Serving media from the embedded set-up, and finding files nothing points to."""

from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import Still
from images.models import checked_upload
from images.urls import media_urlpatterns
from tests.factories import image_upload, make_film
from tests.images.test_uploads import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def still():
    still = Still(film=make_film(), alt_text="A laboratory", image=image_upload())
    still.save()
    return still


def rendition_url(still, width, fmt) -> str:
    return f"/media/{Path(still.image.name).parent}/{width}.{fmt}"


def test_a_rendition_is_served_as_an_image_that_can_do_nothing_else(client, still):
    response = client.get(rendition_url(still, 320, "webp"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


def test_a_jpeg_fallback_has_its_own_type(client, still):
    response = client.get(rendition_url(still, 320, "jpg"))
    assert response["Content-Type"] == "image/jpeg"


def test_the_master_is_served_with_a_short_cache_life(client, still):
    response = client.get(f"/media/{still.image.name}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"


def test_an_unchanged_file_answers_not_modified(client, still):
    url = rendition_url(still, 320, "jpg")
    last_modified = client.get(url)["Last-Modified"]
    response = client.get(url, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


def test_an_upload_waiting_for_its_renditions_is_not_served(client, media_root):
    """The file as sent (metadata, trailing bytes and all) is never served."""
    still = Still(
        film=make_film(), alt_text="A laboratory", image=checked_upload(image_upload())
    )
    still.save()
    assert still.image.name.endswith("/upload.jpg")
    assert (Path(media_root) / still.image.name).is_file()
    assert client.get(f"/media/{still.image.name}").status_code == 404


def test_only_image_files_are_served(client, media_root):
    (Path(media_root) / "page.html").write_text("<script>alert(1)</script>")
    (Path(media_root) / "notes.txt").write_text("private")
    assert client.get("/media/page.html").status_code == 404
    assert client.get("/media/notes.txt").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/../manage.py.jpg",
        "/media/%2e%2e/%2e%2e/etc/passwd.jpg",
        "/media/images/none/such.jpg",
        "/media/images/",
        "/media/images/a\x00b.jpg",
    ],
)
def test_paths_outside_media_or_missing_files_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_media_is_read_only(client, still):
    assert client.post(rendition_url(still, 320, "jpg")).status_code == 405


@pytest.mark.parametrize(
    ("media_url", "routes"),
    [
        ("/media/", 1),
        ("/uploads/", 1),
        ("https://media.filmsite.example/", 0),
        ("//cdn.filmsite.example/media/", 0),
    ],
)
def test_media_is_routed_here_only_when_it_is_served_here(settings, media_url, routes):
    settings.MEDIA_URL = media_url
    assert len(media_urlpatterns()) == routes


def test_renditions_point_at_a_cdn_when_media_url_does(settings, still):
    settings.MEDIA_URL = "https://media.filmsite.example/"
    assert still.webp_srcset.startswith("https://media.filmsite.example/images/")


# media_orphans


def test_media_orphans_lists_files_no_row_points_to(still, media_root, capsys):
    stray = Path(media_root) / "images" / "ab" / "abandoned" / "original.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left by a failed transaction")
    call_command("media_orphans", "--min-age", "0")
    out, err = capsys.readouterr()
    assert out.splitlines() == ["images/ab/abandoned/original.jpg"]
    assert "Found 1 orphaned file among 6" in err
    assert stray.exists()


def test_media_orphans_delete_removes_only_orphans(still, media_root, capsys):
    stray = Path(media_root) / "images" / "cd" / "gone" / "640.webp"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    call_command("media_orphans", "--min-age", "0", "--delete")
    assert not stray.exists()
    assert sorted(stored_files(media_root)) == sorted(still.file_names())
    assert "Deleted 1 orphaned file" in capsys.readouterr().err


def test_media_orphans_leaves_recent_files_alone(media_root, capsys):
    fresh = Path(media_root) / "images" / "ef" / "uploading" / "original.jpg"
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(b"being saved right now")
    call_command("media_orphans", "--delete")
    assert fresh.exists()
    assert "Deleted 0 orphaned files" in capsys.readouterr().err
