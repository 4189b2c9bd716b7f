"""Background work on pictures: making the renditions of an upload.

An upload request only checks the file and stores it as sent; the row is saved
as *processing* and ``render_picture`` is enqueued once the transaction commits.
The row is the record of what is left to do, the task only a reminder, so:

- running the task twice is harmless: a picture that is no longer processing is
  left alone, and two workers never work on one picture at once (the first
  takes it by setting ``processing_started``; another may take it over only
  once that is older than ``LEASE``, when the first has surely died);
- a run that fails half-way removes what it wrote, and a run that was killed
  is overwritten by the next one, which writes the same names;
- a task whose worker died is run again by ``requeue_pictures()`` (the
  ``requeue_pictures`` command, run when the worker starts and by cron), up to
  ``MAX_ATTEMPTS`` runs in all: then the picture is failed, not retried for ever.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from . import files
from .models import Picture, rendition_sizes
from .processing import process

logger = logging.getLogger(__name__)

# Far longer than any picture takes (a 50-megapixel PNG: a few seconds).
LEASE = datetime.timedelta(minutes=5)
# Runs of one upload before it is failed: a file that crashes its worker each
# time (out of memory, say) or a storage that keeps failing.
MAX_ATTEMPTS = 3

PROBLEMS = {
    "corrupt": "The file is damaged or incomplete and cannot be read. Export it "
    "again and upload the new file.",
    "too_many_pixels": "The picture has more pixels than are accepted. Upload a "
    "smaller version.",
}
GENERIC_PROBLEM = "The file cannot be read as a picture. Upload it again."
GAVE_UP_PROBLEM = (
    "Processing was tried %(count)s times and never finished (the worker's log "
    "says why). Upload the file again, or a smaller version of it."
)


def unclaimed(now: datetime.datetime) -> Q:
    """Pictures no worker holds: never taken on, or by a worker long gone."""
    return Q(processing_started__isnull=True) | Q(processing_started__lt=now - LEASE)


@task
def render_picture(label: str, pk: int) -> str:
    """Write the master and renditions of a processing picture; mark it ready,
    or failed with a message for the editor if its file cannot be read."""
    return make_renditions(label, pk)


def make_renditions(label: str, pk: int) -> str:
    """The task's work; returns what became of the picture."""
    model = apps.get_model(label)
    rows = model._base_manager.filter(pk=pk)
    picture = rows.first()
    if picture is None:
        logger.info("Picture %s %s was deleted before its renditions", label, pk)
        return "deleted"
    if picture.status != Picture.Status.PROCESSING:
        return str(picture.status)  # done already: a repeated run
    source = picture.image.name
    storage = picture.image.storage

    started = timezone.now()
    mine = rows.filter(status=Picture.Status.PROCESSING, image=source)
    claimed = mine.filter(unclaimed(started)).update(
        processing_started=started, processing_attempts=F("processing_attempts") + 1
    )
    if not claimed:
        return "busy"  # another worker has it
    mine = mine.filter(processing_started=started)
    attempts = mine.values_list("processing_attempts", flat=True).first() or 0
    if attempts > MAX_ATTEMPTS:
        mine.update(
            status=Picture.Status.FAILED,
            problem=GAVE_UP_PROBLEM % {"count": MAX_ATTEMPTS},
            processing_started=None,
        )
        logger.error(
            "Picture %s %s failed after %s runs that did not finish",
            label,
            pk,
            MAX_ATTEMPTS,
        )
        return "failed"

    try:
        with storage.open(source) as stored:
            processed = process(File(stored, name=source))
    except ValidationError as error:
        problem = PROBLEMS.get(error.code, GENERIC_PROBLEM)
        mine.update(
            status=Picture.Status.FAILED, problem=problem, processing_started=None
        )
        logger.warning(
            "Picture %s %s could not be processed (%s): %s",
            label,
            pk,
            error.code,
            source,
        )
        return "failed"
    except BaseException:
        if not mine.update(processing_started=None):  # free to retry at once
            # Deleted or given another image meanwhile, its upload with it.
            logger.info("Picture %s %s changed while it was processed", label, pk)
            return "changed"
        logger.exception("Processing picture %s %s failed", label, pk)
        raise

    try:
        written = files.write(storage, processed, beside=source)
    except BaseException:
        mine.update(processing_started=None)
        logger.exception("Storing the renditions of picture %s %s failed", label, pk)
        raise
    done = mine.update(
        image=written[0],
        width=processed.width,
        height=processed.height,
        renditions=rendition_sizes(processed),
        status=Picture.Status.READY,
        problem="",
        processing_started=None,
    )
    if not done:
        # Deleted, given another image, or taken over while this ran.
        current = rows.values_list("image", flat=True).first()
        if current != written[0]:
            files.delete(storage, written)
        logger.info("Picture %s %s changed while it was processed", label, pk)
        return "changed"
    files.delete(storage, [source])
    return "ready"


@dataclass
class Requeued:
    pictures: int
    lost_tasks: int


def requeue_pictures(*, now: datetime.datetime | None = None) -> Requeued:
    """Enqueue again every picture still processing that no worker holds.

    A worker that died (killed, out of memory, the machine rebooted) leaves its
    task "running" in the queue for ever, and nothing would run it again; its
    picture's lease expires after ``LEASE``. Pictures never taken on are
    enqueued again too (their task may be lost): a duplicate finds the picture
    ready and returns at once. Returns how many pictures were enqueued, and how
    many such dead tasks were marked failed.
    """
    now = now or timezone.now()
    lost = mark_lost_tasks(now - LEASE)
    count = 0
    for model in apps.get_models():
        if not issubclass(model, Picture):
            continue
        waiting = model._base_manager.filter(
            unclaimed(now), status=Picture.Status.PROCESSING
        )
        for pk in waiting.values_list("pk", flat=True).iterator():
            render_picture.enqueue(model._meta.label_lower, pk)
            count += 1
    return Requeued(count, lost)


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished."""


def mark_lost_tasks(started_before: datetime.datetime) -> int:
    """Mark failed the rendering tasks left running by a worker that died, so
    the queue says what happened to them (with the database backend only)."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(render_picture.get_backend(), DatabaseBackend):
        return 0
    lost = DBTaskResult.objects.running().filter(
        task_path=render_picture.module_path, started_at__lt=started_before
    )
    count = 0
    for result in lost:
        result.set_failed(WorkerLost(f"No word from worker {result.worker_ids}"))
        count += 1
    return count
