"""The abstract picture model: an uploaded image with its renditions and words.

A concrete picture (a film's still, a person's portrait) inherits the fields and
gets, for free: validation and re-encoding of uploads, renditions written at save,
files removed when the row is deleted or the image replaced (after the transaction
commits), and the URLs the ``{% picture %}`` tag needs, computed from the row alone
so that a page request never touches the stored files.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q

from . import files
from .processing import ProcessedImage, accept_attribute, process


class ProcessedUpload(ContentFile):
    """An accepted upload, normalised and encoded, waiting to be stored."""

    def __init__(self, processed: ProcessedImage):
        super().__init__(processed.master, name="original" + processed.master_extension)
        self.processed = processed


class PictureFormField(forms.FileField):
    """A file input that accepts an image only once it has been fully processed."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute())

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial or isinstance(upload, ProcessedUpload):
            return upload
        return ProcessedUpload(process(upload))


class PictureField(models.FileField):
    """Stores the master under a generated name and writes its renditions.

    The companion fields ``width``, ``height`` and ``renditions`` of the model are
    filled in from the processed image.
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
            if isinstance(content, ProcessedUpload):
                processed = content.processed
            else:
                # Assigned in code (the demo loader, a script): same pipeline.
                processed = process(content)
            written = files.write(self.storage, processed)
            instance.__dict__.setdefault("_written_files", []).extend(written)
            file.name = written[0]
            file._committed = True
            instance.width = processed.width
            instance.height = processed.height
            instance.renditions = [
                [r.width, r.height, len(r.webp), len(r.jpeg)]
                for r in processed.renditions
            ]
        return file


class Picture(models.Model):
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
        if previous:
            # The image was replaced: the old files go once the change is final.
            transaction.on_commit(partial(files.delete, self.image.storage, previous))

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


def delete_files_after_commit(sender, instance: Picture, **kwargs) -> None:
    names = instance.file_names()
    if names:
        transaction.on_commit(partial(files.delete, instance.image.storage, names))
