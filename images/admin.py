"""Admin pieces shared by every model with pictures."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from .processing import accept_attribute, inspect

THUMBNAIL_WIDTH = 120


def thumbnail(picture, width: int = THUMBNAIL_WIDTH) -> str:
    """A small rendition for admin lists and inlines, or a dash without one."""
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


class ThumbnailMixin:
    @admin.display(description="picture")
    def thumbnail(self, obj):
        return thumbnail(obj)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files in one input, each checked like a single upload.

    Every file is decoded here, so a bad one is reported by name before anything
    is saved; the files are processed and stored one at a time on save.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": accept_attribute()})
        )
        super().__init__(*args, **kwargs)

    def has_changed(self, initial, data):
        # An input with no file chosen posts an empty list: not a change, so
        # the admin history does not say "Add stills" on every save.
        return bool(data)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            return single(None, initial) or []
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(single(upload, initial))
                inspect(upload).close()
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned
