"""Renditions made in the background: an upload request only checks and stores
the file, the task makes the renditions once, and pages wait until it has."""

import datetime
import json
import logging
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import default_task_backend
from django.tasks.backends.dummy import DummyBackend
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from catalog.models import Still
from images import files, tasks
from images.models import CheckedUpload, Picture, checked_upload
from images.processing import CheckedImage, check
from tests.factories import (
    image_bytes,
    image_upload,
    make_article,
    make_film,
    make_still,
)
from tests.images.test_uploads import STILL_ADD, stored_files

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def waiting_still(film=None, upload=None, **fields) -> Still:
    """A still saved from an upload as the admin saves it, its task not run."""
    still = Still(
        film=film or make_film(),
        alt_text="Two actors in a white laboratory",
        image=checked_upload(upload or image_upload("set.jpg", 1200, 800)),
        **fields,
    )
    still.save()
    return still


def unreadable_upload() -> CheckedUpload:
    """A file that passed the request's checks but that the full decode refuses
    (as if damaged in a way only a full decode finds)."""
    data = image_bytes(1200, 800)
    return CheckedUpload(
        SimpleUploadedFile("set.jpg", data[: len(data) // 2], "image/jpeg"),
        CheckedImage(1200, 800, "JPEG", ".jpg"),
    )


def test_an_upload_request_stores_the_file_and_enqueues_the_renditions(
    admin_client, media_root, settings
):
    """The request renders nothing: the still is saved as processing with the
    size from the file's header, and one task is enqueued once it commits."""
    settings.TASKS = DUMMY_TASKS
    film = make_film()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            STILL_ADD,
            {
                "film": str(film.pk),
                "kind": "production",
                "alt_text": "Two actors in a white laboratory",
                "position": "0",
                "image": image_upload("set.jpg", 1200, 800),
            },
        )
    assert response.status_code == 302
    still = Still.objects.get()
    assert still.status == Picture.Status.PROCESSING
    assert (still.width, still.height, still.renditions) == (1200, 800, [])
    assert stored_files(media_root) == [still.image.name]
    assert still.image.name.endswith("/upload.jpg")
    [result] = default_task_backend.results
    assert result.task.name == "render_picture"
    assert result.args == ["catalog.still", still.pk]


def test_the_task_makes_the_renditions_and_the_still_becomes_ready(media_root):
    still = waiting_still()
    upload_name = still.image.name
    assert tasks.make_renditions("catalog.still", still.pk) == "ready"
    still.refresh_from_db()
    assert still.status == Picture.Status.READY
    assert still.is_ready
    assert [r[:2] for r in still.renditions] == [
        [320, 213],
        [640, 427],
        [1024, 683],
        [1200, 800],
    ]
    # The master and renditions sit beside where the upload was; it is gone.
    assert Path(still.image.name).parent == Path(upload_name).parent
    assert still.image.name.endswith("/original.jpg")
    assert stored_files(media_root) == sorted(still.file_names())


def test_running_the_task_twice_is_harmless(media_root):
    still = waiting_still()
    tasks.make_renditions("catalog.still", still.pk)
    still.refresh_from_db()
    before = (still.image.name, still.renditions, stored_files(media_root))
    assert tasks.make_renditions("catalog.still", still.pk) == "ready"
    still.refresh_from_db()
    assert (still.image.name, still.renditions, stored_files(media_root)) == before


def test_a_task_for_a_deleted_still_does_nothing(media_root):
    still = waiting_still()
    pk = still.pk
    with TestCase.captureOnCommitCallbacks(execute=True):
        still.delete()
    assert tasks.make_renditions("catalog.still", pk) == "deleted"
    assert stored_files(media_root) == []


def test_a_run_that_fails_half_way_leaves_no_file_and_can_run_again(
    media_root, monkeypatch, caplog
):
    """A storage error after a few renditions: what the run wrote is removed,
    the failure is logged with the still's id, and the next run succeeds."""
    still = waiting_still()
    save = FileSystemStorage.save
    calls = []

    def failing_save(storage, name, content, *args, **kwargs):
        calls.append(name)
        if len(calls) == 4:
            raise OSError("disk full")
        return save(storage, name, content, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    with caplog.at_level(logging.ERROR, logger="images.tasks"), pytest.raises(OSError):
        tasks.make_renditions("catalog.still", still.pk)
    assert f"catalog.still {still.pk}" in caplog.text
    assert stored_files(media_root) == [still.image.name]  # the upload only
    still.refresh_from_db()
    assert still.status == Picture.Status.PROCESSING
    assert still.processing_started is None  # free to run again at once

    monkeypatch.setattr(FileSystemStorage, "save", save)
    assert tasks.make_renditions("catalog.still", still.pk) == "ready"
    still.refresh_from_db()
    assert stored_files(media_root) == sorted(still.file_names())


def test_a_run_killed_half_way_is_overwritten_by_the_next(media_root):
    """A worker killed mid-run leaves files and its claim behind; once the
    lease is over, the next run replaces those files instead of adding more."""
    still = waiting_still()
    folder = Path(still.image.name).parent
    for name in ["original.jpg", "320.webp", "320.jpg"]:
        (Path(media_root) / folder / name).write_bytes(b"half-written")
    Still.objects.filter(pk=still.pk).update(
        processing_started=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert tasks.make_renditions("catalog.still", still.pk) == "busy"

    Still.objects.filter(pk=still.pk).update(
        processing_started=timezone.now() - tasks.LEASE * 2
    )
    assert tasks.make_renditions("catalog.still", still.pk) == "ready"
    still.refresh_from_db()
    assert stored_files(media_root) == sorted(still.file_names())
    assert (Path(media_root) / folder / "320.jpg").read_bytes() != b"half-written"


def test_an_unreadable_file_marks_the_still_failed_with_a_message(
    admin_client, media_root, caplog
):
    still = waiting_still(upload=unreadable_upload())
    with caplog.at_level(logging.WARNING, logger="images.tasks"):
        assert tasks.make_renditions("catalog.still", still.pk) == "failed"
    assert f"catalog.still {still.pk}" in caplog.text
    still.refresh_from_db()
    assert still.status == Picture.Status.FAILED
    assert "damaged or incomplete" in still.problem
    # Nothing but the upload, which the row still points to.
    assert stored_files(media_root) == [still.image.name]

    page = admin_client.get(f"/admin/catalog/film/{still.film.pk}/change/")
    assert "Failed: The file is damaged or incomplete" in page.content.decode()
    page = admin_client.get("/admin/catalog/still/").content.decode()
    assert "Failed: The file is damaged or incomplete" in page
    assert "Failed" in page.split('id="changelist-filter"')[-1]  # the filter


def test_the_admin_shows_a_processing_still_as_processing(admin_client):
    still = make_still(status=Picture.Status.PROCESSING, renditions=[])
    page = admin_client.get(f"/admin/catalog/film/{still.film.pk}/change/")
    assert "Processing: its renditions are being made" in page.content.decode()
    page = admin_client.get("/admin/catalog/still/").content.decode()
    assert "Processing: its renditions are being made" in page


def test_requeue_enqueues_what_no_worker_holds(media_root, settings):
    settings.TASKS = DUMMY_TASKS
    never_taken = waiting_still()
    abandoned = waiting_still()
    being_made = waiting_still()
    Still.objects.filter(pk=abandoned.pk).update(
        processing_started=timezone.now() - tasks.LEASE * 2
    )
    Still.objects.filter(pk=being_made.pk).update(processing_started=timezone.now())
    make_still()  # ready: left alone

    requeued = tasks.requeue_pictures()
    assert requeued.pictures == 2
    assert sorted(r.args[1] for r in default_task_backend.results) == sorted(
        [never_taken.pk, abandoned.pk]
    )


# Pages show ready pictures only


def test_the_film_page_hides_a_still_that_is_not_ready(client):
    film = make_film(title="Jung_E", slug="jung-e")
    make_still(film, caption="The laboratory set")
    waiting = make_still(
        film,
        caption="Still being processed",
        status=Picture.Status.PROCESSING,
        renditions=[],
    )
    make_still(
        film, caption="Could not be read", status=Picture.Status.FAILED, renditions=[]
    )
    film.poster = waiting
    film.save()
    page = client.get("/films/jung-e/").content.decode()
    assert page.count("<picture>") == 1
    assert "page-header--with-picture" not in page
    assert "All 1 still with captions" in page
    assert waiting.image.name not in page
    gallery = client.get("/films/jung-e/stills/").content.decode()
    assert "The laboratory set" in gallery
    assert "Still being processed" not in gallery
    assert "Could not be read" not in gallery
    assert "1 picture" in gallery


def test_an_article_whose_lead_image_is_not_ready_shows_none(client):
    still = make_still(status=Picture.Status.PROCESSING, renditions=[])
    article = make_article(lead_image=still)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<picture>" not in page
    assert "og:image" not in page
    ld = page.split('type="application/ld+json">')[1].split("</script>")[0]
    assert '"image"' not in ld or json.loads(ld).get("image") in ([], None)
    feed = client.get("/feeds/latest/").content.decode()
    assert "<enclosure" not in feed


def test_upload_names_are_kept_apart_from_renditions():
    name = files.new_upload_name(".png")
    assert files.is_upload(name)
    assert not files.is_upload(files.master_name_beside(name, ".png"))
    assert files.master_name_beside(name, ".jpg") == name.replace(
        "upload.png", "original.jpg"
    )


def test_a_still_given_another_image_while_processed_keeps_nothing_of_the_run(
    media_root, monkeypatch
):
    still = waiting_still()
    upload_name = still.image.name
    process = tasks.process

    def replaced_meanwhile(upload):
        Still.objects.filter(pk=still.pk).update(image="images/00/other/upload.jpg")
        return process(upload)

    monkeypatch.setattr(tasks, "process", replaced_meanwhile)
    assert tasks.make_renditions("catalog.still", still.pk) == "changed"
    # The replacement's own save removes the old upload; the run wrote nothing.
    assert stored_files(media_root) == [upload_name]


def test_the_request_reads_the_upright_size_from_the_header():
    """A photo taken with the camera turned is stored upright by the task; the
    size saved at upload already says so."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    upload = image_upload("turned.jpg", 600, 400, exif=exif.tobytes())
    assert check(upload) == CheckedImage(400, 600, "JPEG", ".jpg")


def test_the_queue_failing_leaves_the_still_saved_and_logged(
    media_root, monkeypatch, settings, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionError("queue down")

    settings.TASKS = DUMMY_TASKS
    monkeypatch.setattr(DummyBackend, "enqueue", refuse)
    with (
        caplog.at_level(logging.ERROR, logger="images.models"),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        still = waiting_still()
    assert f"catalog.still {still.pk}" in caplog.text
    assert Still.objects.get().status == Picture.Status.PROCESSING


def test_a_picture_whose_runs_never_finish_is_failed_not_retried_for_ever(
    media_root, caplog
):
    """Each run that a dying worker leaves behind counts; after the last one the
    picture is failed with a message, and its upload kept for the editor."""
    still = waiting_still()
    Still.objects.filter(pk=still.pk).update(
        processing_attempts=tasks.MAX_ATTEMPTS,
        processing_started=timezone.now() - tasks.LEASE * 2,
    )
    with caplog.at_level(logging.ERROR, logger="images.tasks"):
        assert tasks.make_renditions("catalog.still", still.pk) == "failed"
    assert f"catalog.still {still.pk}" in caplog.text
    still.refresh_from_db()
    assert still.status == Picture.Status.FAILED
    assert "tried 3 times and never finished" in still.problem
    assert stored_files(media_root) == [still.image.name]


def test_a_successful_run_counts_as_one_attempt(media_root):
    still = waiting_still()
    tasks.make_renditions("catalog.still", still.pk)
    still.refresh_from_db()
    assert still.processing_attempts == 1
