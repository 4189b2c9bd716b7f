"""The abstract picture model: an uploaded image with its renditions and words.

A concrete picture (a film's still, a person's portrait) inherits the fields and
gets, for free: validation and re-encoding of uploads, renditions written at save,
files removed when the row is deleted or the image replaced (after the transaction
commits), and the URLs the ``{% picture %}`` tag needs, computed from the row alone
so that a page request never touches the stored files.

An upload through a form is only checked (``processing.check()``) and stored as
sent: the row is saved as *processing*, and once the transaction commits a
background task (``images.tasks.render_picture``) writes the master and the
renditions and marks it *ready*, or *failed* if the file cannot be read after
all. Pages show ready pictures only. An image assigned in code (the demo
loader, a script) is still processed at once.
"""

from __future__ import annotations

import logging
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.db.models import Q

from . import files
from .processing import (
    CheckedImage,
    ProcessedImage,
    accept_attribute,
    check,
    process,
)

logger = logging.getLogger(__name__)


class CheckedUpload(File):
    """An upload that passed ``check()``, to be stored as sent and processed in
    the background."""

    def __init__(self, upload, checked: CheckedImage):
        super().__init__(upload, name=getattr(upload, "name", None))
        self.checked = checked


def checked_upload(upload) -> CheckedUpload:
    """Check an uploaded file (``ValidationError`` if refused) for saving."""
    if isinstance(upload, CheckedUpload):
        return upload
    return CheckedUpload(upload, check(upload))


class PictureFormField(forms.FileField):
    """A file input that accepts an image once it has passed every check; the
    renditions are made in the background after the save."""

    def __init__(self, **kwargs):
        # The file is stored under a generated name, never the one sent, so the
        # model field's max_length says nothing about how long that may be.
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute())

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        return checked_upload(upload)


class PictureField(models.FileField):
    """Stores an upload under a generated name, for the background task to
    process; or, for an image assigned in code, the master and its renditions.

    The companion fields ``width``, ``height``, ``renditions`` and ``status`` of
    the model are filled in: from the upload's header (no renditions yet, status
    processing) or from the processed image (status ready).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})

    def pre_save(self, instance, add):
        file = getattr(instance, self.attname)
        if file and not file._committed:
            content = file.file
            if isinstance(content, CheckedUpload):
                checked = content.checked
                name = files.write_upload(self.storage, content, checked.extension)
                instance.__dict__.setdefault("_written_files", []).append(name)
                file.name = name
                file._committed = True
                instance.width = checked.width
                instance.height = checked.height
                instance.renditions = []
                instance.status = Picture.Status.PROCESSING
                instance.problem = ""
                instance.processing_started = None
                instance.processing_attempts = 0
                return file
            # Assigned in code (the demo loader, a script): processed at once.
            processed = process(content)
            written = files.write(self.storage, processed)
            instance.__dict__.setdefault("_written_files", []).extend(written)
            file.name = written[0]
            file._committed = True
            instance.width = processed.width
            instance.height = processed.height
            instance.renditions = rendition_sizes(processed)
            instance.status = Picture.Status.READY
            instance.problem = ""
            instance.processing_started = None
        return file


def rendition_sizes(processed: ProcessedImage) -> list[list[int]]:
    """What the row keeps of each rendition: [width, height, WebP bytes, JPEG
    bytes]."""
    return [[r.width, r.height, len(r.webp), len(r.jpeg)] for r in processed.renditions]


class PictureQuerySet(models.QuerySet):
    def ready(self) -> PictureQuerySet:
        """Pictures whose renditions exist: the only ones pages show."""
        return self.filter(status=Picture.Status.READY)

    def waiting(self) -> PictureQuerySet:
        return self.filter(status=Picture.Status.PROCESSING)


class Picture(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    image = PictureField(
        help_text="JPEG, PNG, WebP, GIF (first frame) or AVIF. It is re-encoded "
        "without its metadata (camera, GPS) and resized for each screen."
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # [[width, height, WebP bytes, JPEG bytes], …] of the renditions written,
    # narrowest first: all a page or a feed needs to know without the files.
    renditions = models.JSONField(default=list, editable=False)
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick only if the picture adds nothing a reader would miss; "
        "it then needs no alt text.",
    )
    credit = models.CharField(
        "credit line",
        max_length=200,
        blank=True,
        help_text="Who the picture is by or from: Netflix.",
    )
    # Ready once the master and renditions are written; until then the row
    # points at the upload as it was sent. See images.tasks.
    status = models.CharField(
        max_length=20, choices=Status, default=Status.READY, editable=False
    )
    problem = models.CharField(
        max_length=500,
        blank=True,
        editable=False,
        help_text="Why the picture could not be processed.",
    )
    # When a worker took the picture on; another may take it over once this is
    # older than images.tasks.LEASE (the first one died).
    processing_started = models.DateTimeField(null=True, blank=True, editable=False)
    # Runs begun on the current upload: one that kills its worker every time is
    # failed after images.tasks.MAX_ATTEMPTS instead of being retried for ever.
    processing_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = PictureQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(decorative=True),
                name="%(app_label)s_%(class)s_alt_text_or_decorative",
                violation_error_message="Describe the picture in its alt text, "
                "or mark it as decorative.",
            ),
        ]

    def save(self, *args, **kwargs):
        replacing = self.pk is not None and self.image and not self.image._committed
        previous = self._stored_file_names() if replacing else []
        self._written_files: list[str] = []
        try:
            super().save(*args, **kwargs)
        except BaseException:
            # The row was not saved: the files written for it go too.
            files.delete(self.image.storage, self._written_files)
            raise
        if self._written_files:
            files.keep_if_committed(self.image.storage, self._written_files)
        if previous:
            # The image was replaced: the old files go once the change is final.
            transaction.on_commit(partial(files.delete, self.image.storage, previous))
        if self._written_files and self.status == self.Status.PROCESSING:
            transaction.on_commit(
                partial(enqueue_rendering, self._meta.label_lower, self.pk)
            )

    def clean(self):
        super().clean()
        if not self.decorative and not self.alt_text.strip():
            raise ValidationError(
                {
                    "alt_text": "Describe the picture for readers who cannot see it, "
                    "or mark it as decorative."
                }
            )

    def _stored_file_names(self) -> list[str]:
        stored = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list("image", "renditions")
            .first()
        )
        if stored is None:
            return []
        name, renditions = stored
        return files.names_of(name, renditions)

    def file_names(self) -> list[str]:
        """The names of every file of this picture in storage."""
        return files.names_of(self.image.name, self.renditions)

    @property
    def is_ready(self) -> bool:
        """Whether pages may show the picture: its renditions exist."""
        return self.status == self.Status.READY and bool(self.renditions)

    @property
    def alt(self) -> str:
        return "" if self.decorative else self.alt_text

    def srcset(self, fmt: str) -> str:
        storage = self.image.storage
        return ", ".join(
            f"{storage.url(files.rendition_name(self.image.name, width, fmt))} {width}w"
            for width, *_rest in self.renditions
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpg")

    def rendition_for(self, width: int) -> tuple[str, int, int]:
        """The JPEG rendition that best fills ``width`` pixels: (url, w, h).

        The narrowest rendition at least that wide, or the widest there is.
        """
        url, chosen_width, chosen_height, _size = self.jpeg_rendition(width)
        return url, chosen_width, chosen_height

    def jpeg_rendition(self, width: int) -> tuple[str, int, int, int | None]:
        """(url, width, height, bytes) of the JPEG rendition that fills
        ``width`` pixels; bytes is None for pictures stored without sizes."""
        chosen = self.renditions[-1]
        for rendition in self.renditions:
            if rendition[0] >= width:
                chosen = rendition
                break
        name = files.rendition_name(self.image.name, chosen[0], "jpg")
        size = chosen[3] if len(chosen) > 3 else None
        return self.image.storage.url(name), chosen[0], chosen[1], size

    @property
    def fallback_url(self) -> str:
        return self.rendition_for(1024)[0]


def enqueue_rendering(label: str, pk: int) -> None:
    """Enqueue the renditions of a picture just saved as processing.

    The row is saved whatever happens to the queue: if it cannot take the task,
    the failure is logged and ``requeue_pictures`` enqueues the picture later.
    """
    from .tasks import render_picture

    try:
        render_picture.enqueue(label, pk)
    except Exception:
        logger.exception("Could not enqueue the renditions of %s %s", label, pk)


def delete_files_after_commit(sender, instance: Picture, **kwargs) -> None:
    names = instance.file_names()
    if names:
        transaction.on_commit(partial(files.delete, instance.image.storage, names))
