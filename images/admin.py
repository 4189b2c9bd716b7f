"""Admin pieces shared by every model with pictures."""

from dataclasses import replace
from itertools import chain

from django import forms
from django.contrib import admin
from django.contrib.admin import actions
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import quote
from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

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
        'class="admin-thumbnail">',
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
                cleaned.append(checked_upload(single(upload, initial)))
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def cleared_references(objs) -> list[str]:
    """What deleting `objs` keeps but clears its reference to them in (a draft's
    lead image, a film's poster, a video's thumbnail), as admin list items; none
    while the delete is refused."""
    objs = list(objs)
    if not objs:
        return []
    collector = Collector(using=router.db_for_write(type(objs[0])), origin=objs)
    try:
        collector.collect(objs)
    except (ProtectedError, RestrictedError):
        return []
    deleted = {
        (type(instance), instance.pk)
        for instances in collector.data.values()
        for instance in instances
    }
    items = []
    for (field, _value), batches in collector.field_updates.items():
        for obj in chain.from_iterable(batches):
            if (type(obj), obj.pk) not in deleted:
                items.append(
                    format_html(
                        "{}: {} loses its {}",
                        capfirst(obj._meta.verbose_name),
                        admin_link(obj),
                        field.verbose_name,
                    )
                )
    return items


def admin_link(obj) -> str:
    opts = obj._meta
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]
        )
    except NoReverseMatch:
        return str(obj)
    return format_html('<a href="{}">{}</a>', url, obj)


def delete_selected(modeladmin, request, queryset):
    """Django's "delete selected" action, whose confirmation page also lists
    cleared_references()."""
    try:
        response = actions.delete_selected(modeladmin, request, queryset)
    except ProtectedError:
        # An article was published with one of them between the check and the
        # delete: the transaction is rolled back, and the page asks again.
        request.POST = request.POST.copy()
        del request.POST["post"]
        response = actions.delete_selected(modeladmin, request, queryset)
    if response is not None and not response.context_data["protected"]:
        response.context_data["cleared"] = cleared_references(queryset)
    return response


class ClearedReferencesMixin:
    """Delete pages (one object or "delete selected") that say what will lose
    its picture: editors see which drafts lose their lead image."""

    def render_delete_form(self, request, context):
        if not context.get("protected"):
            context["cleared"] = cleared_references([context["object"]])
        return super().render_delete_form(request, context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError:
            # An article was published with it between the check and the
            # delete: nothing was deleted, and the page now says why.
            return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        available = super().get_actions(request, action_location)
        if "delete_selected" in available:
            available["delete_selected"] = replace(
                available["delete_selected"], func=delete_selected
            )
        return available
