"""Admin pieces shared by every model with pictures."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from .models import Picture, checked_upload
from .processing import accept_attribute

THUMBNAIL_WIDTH = 120


def thumbnail(picture, width: int = THUMBNAIL_WIDTH) -> str:
    """A small rendition for admin lists and inlines; what is happening to a
    picture without one yet; or a dash without a picture."""
    if picture and picture.status == Picture.Status.PROCESSING:
        return format_html(
            '<span class="picture-status picture-status--processing">{}</span>',
            "Processing: its renditions are being made; refresh in a moment. "
            "It appears on the site once they are ready.",
        )
    if picture and picture.status == Picture.Status.FAILED:
        return format_html(
            '<span class="picture-status picture-status--failed">{} {}</span>',
            "Failed:",
            picture.problem or "the file could not be processed.",
        )
    if not picture or not picture.renditions:
        return "–"
    url, rendition_width, rendition_height = picture.rendition_for(width)
    height = round(width * rendition_height / rendition_width)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'style="object-fit: cover">',
        url,
        width,
        height,
        picture.alt,
    )


ADMIN_CSS = "css/admin-pictures.css"


class ThumbnailMixin:
    class Media:
        css = {"all": [ADMIN_CSS]}

    @admin.display(description="picture")
    def thumbnail(self, obj):
        return thumbnail(obj)


class MultipleFileInput(forms.ClearableFileInput):
    """Several files in one input. Given a ``data-upload-url``, the script sends
    them one per request, with a progress bar each (``bulk-upload.js``)."""

    allow_multiple_selected = True

    class Media:
        css = {"all": [ADMIN_CSS]}
        js = ["js/bulk-upload.js"]


class MultipleImageField(forms.FileField):
    """Several image files in one input, each checked like a single upload.

    Every file is checked here, so a bad one is reported by name before anything
    is saved; on save each is stored as sent, and its renditions are made in the
    background.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": accept_attribute()})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            return single(None, initial) or []
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(checked_upload(single(upload, initial)))
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned
