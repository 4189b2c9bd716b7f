"""Revisions of what editors change in the admin, kept by django-reversion, and
the admin views to compare two revisions and to restore one as a new revision.

A revision holds an object and the rows edited with it in its admin's inlines
(a film's credits, an article's bylines). Comparing and restoring look only at
the object and its own rows, so a revision that holds several objects (a bulk
"Publish now") never restores more than the object asked for.
"""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import (
    BadRequest,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
)
from django.core.serializers.base import DeserializedObject
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

# A text diff is cut after this many lines, and each line after this many
# characters: a 300,000-character body still gives a page an editor can read.
DIFF_MAX_LINES = 400
DIFF_MAX_LINE_CHARS = 500
DIFF_CONTEXT_LINES = 2
# Version ids beyond this are no version (and some databases would refuse them).
MAX_VERSION_ID = 2**31 - 1


@dataclass(frozen=True)
class Follow:
    """Rows edited with the object in one of its admin's inlines."""

    model: type[models.Model]
    fk: models.ForeignKey  # from the row to the object
    label: str


@dataclass
class Snapshot:
    """An object and its rows as one revision holds them."""

    item: DeserializedObject
    rows: dict[Follow, dict[object, DeserializedObject]]


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    # A text diff, as (kind, line) pairs: "hunk", "added", "removed", "same",
    # "cut"; None for a value short enough to show whole.
    diff: list[tuple[str, str]] | None = None


@dataclass
class RowChanges:
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


class RestoreError(Exception):
    pass


def has_files(model: type[models.Model]) -> bool:
    """A row with files (a still, a portrait) is never deleted or brought back by
    a restore: its files would not come back with it."""
    return any(isinstance(f, models.FileField) for f in model._meta.concrete_fields)


def shown_fields(model: type[models.Model], skip: models.Field | None = None):
    """The fields an editor edits, in model order: not derived ones, not files."""
    opts = model._meta
    return [
        f
        for f in [*opts.concrete_fields, *opts.many_to_many]
        if f.editable
        and not f.primary_key
        and f is not skip
        and not isinstance(f, models.FileField)
        # Many-to-many relations through a model of their own (bylines) are
        # followed as rows.
        and not (f.many_to_many and not f.remote_field.through._meta.auto_created)
    ]


def deserialize(version: Version) -> DeserializedObject:
    return next(
        serializers.deserialize(
            version.format, version.serialized_data, ignorenonexistent=True
        )
    )


def snapshot(version: Version, follows: list[Follow]) -> Snapshot:
    """The object of `version` and its own rows in the same revision."""
    by_type = {ContentType.objects.get_for_model(f.model): f for f in follows}
    rows: dict[Follow, dict[object, DeserializedObject]] = {f: {} for f in follows}
    item = deserialize(version)
    siblings = version.revision.version_set.filter(content_type__in=by_type)
    for sibling in siblings.select_related("content_type"):
        follow = by_type[sibling.content_type]
        row = deserialize(sibling)
        if getattr(row.object, follow.fk.attname) == item.object.pk:
            rows[follow][row.object.pk] = row
    return Snapshot(item, rows)


# Comparing


def m2m_pks(item: DeserializedObject, f: models.Field) -> list:
    return (item.m2m_data or {}).get(f.name, [])


class Labels:
    """The names of related objects, looked up once per model for a page."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], object], str] = {}

    def want(self, item: DeserializedObject, fields) -> None:
        for f in fields:
            if f.many_to_many:
                self.wanted[f.related_model].update(m2m_pks(item, f))
            elif f.is_relation:
                value = getattr(item.object, f.attname)
                if value is not None:
                    self.wanted[f.related_model].add(value)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            for obj in model._base_manager.filter(pk__in=pks):
                self.found[model, obj.pk] = str(obj)

    def __call__(self, model: type[models.Model], pk) -> str:
        return self.found.get((model, pk), f"(deleted, id {pk})")


def display(f: models.Field, item: DeserializedObject, labels: Labels) -> str:
    """A field's value as an editor reads it: choice labels, names of related
    objects, dates in the site's format."""
    if f.many_to_many:
        names = [labels(f.related_model, pk) for pk in m2m_pks(item, f)]
        return ", ".join(sorted(names)) or "—"
    value = getattr(item.object, f.attname)
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return labels(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(f, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(f, models.DateField):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A unified diff of two texts by lines, as (kind, line) pairs, capped."""
    lines: list[tuple[str, str]] = []
    diff = difflib.unified_diff(
        old.splitlines(), new.splitlines(), n=DIFF_CONTEXT_LINES, lineterm=""
    )
    kinds = {"@": "hunk", "+": "added", "-": "removed"}
    for line in itertools.islice(diff, 2, None):  # after the ---/+++ header
        if len(lines) == DIFF_MAX_LINES:
            lines.append(("cut", "… the rest of the difference is not shown."))
            break
        lines.append(
            (kinds.get(line[:1], "same"), Truncator(line).chars(DIFF_MAX_LINE_CHARS))
        )
    return lines


def field_changes(
    old: DeserializedObject, new: DeserializedObject, fields, labels: Labels
) -> list[FieldChange]:
    changes = []
    for f in fields:
        before, after = display(f, old, labels), display(f, new, labels)
        if before == after:
            continue
        change = FieldChange(capfirst(f.verbose_name), before, after)
        if isinstance(f, models.TextField):
            change.diff = text_diff(
                getattr(old.object, f.attname), getattr(new.object, f.attname)
            )
        changes.append(change)
    return changes


def describe(obj: models.Model) -> str:
    try:
        return str(obj)
    except ObjectDoesNotExist:  # its name names something deleted since
        return f"{obj._meta.verbose_name} {obj.pk}"


def compare(
    old: Snapshot, new: Snapshot, follows: list[Follow]
) -> tuple[list[FieldChange], list[RowChanges]]:
    """What changed from `old` to `new`: the object's fields, then its rows."""
    model = type(new.item.object)
    fields = shown_fields(model)
    row_fields = {f: shown_fields(f.model, skip=f.fk) for f in follows}
    labels = Labels()
    for snap in (old, new):
        labels.want(snap.item, fields)
        for follow, rows in snap.rows.items():
            for row in rows.values():
                labels.want(row, row_fields[follow])
    labels.load()
    rows = []
    for follow in follows:
        before, after = old.rows[follow], new.rows[follow]
        changes = RowChanges(capfirst(follow.label))
        for pk in after.keys() - before.keys():
            changes.added.append(describe(after[pk].object))
        for pk in before.keys() - after.keys():
            changes.removed.append(describe(before[pk].object))
        for pk in sorted(before.keys() & after.keys()):
            changed = field_changes(before[pk], after[pk], row_fields[follow], labels)
            if changed:
                label = describe(before[pk].object)
                changes.changed.append((label, changed))
        changes.added.sort()
        changes.removed.sort()
        if changes:
            rows.append(changes)
    return field_changes(old.item, new.item, fields, labels), rows


# Restoring


def existing_pks(model: type[models.Model], pks) -> set:
    return set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))


def put_back(item: DeserializedObject, skipped: list[str], required: bool) -> None:
    """Save one row as the revision holds it (a raw save, as a fixture is
    loaded). What it points to and is gone since is left empty, or the row is
    skipped when it cannot be; a row with files gets its words back only."""
    obj = item.object
    model = type(obj)

    def name() -> str:  # only when something is skipped: str() may query
        return f"{capfirst(model._meta.verbose_name)} “{describe(obj)}”"

    for f in model._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if (
            f.is_relation
            and value is not None
            and not existing_pks(f.related_model, [value])
        ):
            if not f.null:
                if required:
                    raise RestoreError(f"its {f.verbose_name} was deleted")
                skipped.append(f"{name()}: its {f.verbose_name} was deleted.")
                return
            setattr(obj, f.attname, None)
    m2m = {}
    for accessor, pks in (item.m2m_data or {}).items():
        found = existing_pks(model._meta.get_field(accessor).related_model, pks)
        m2m[accessor] = [pk for pk in pks if pk in found]
    try:
        with transaction.atomic():
            if has_files(model):
                words = [
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.editable
                    and not f.primary_key
                    and not isinstance(f, models.FileField)
                ]
                rows = model._base_manager.filter(pk=obj.pk)
                if not rows.update(**{a: getattr(obj, a) for a in words}):
                    skipped.append(f"{name()}: it was deleted, with its files.")
                    return
                current = rows.get()
                for accessor, pks in m2m.items():
                    getattr(current, accessor).set(pks)
            else:
                DeserializedObject(obj, m2m).save()
    except IntegrityError as error:
        if required:
            raise RestoreError(str(error)) from error
        skipped.append(f"{name()}: it clashes with a row added since.")


def restore(
    version: Version, follows: list[Follow], live_fields: tuple[str, ...]
) -> tuple[list[str], dict[str, object]]:
    """Put the object of `version` and its rows back as that revision holds them.

    Rows added since are deleted, except rows with files; `live_fields` keep
    their current value in the database (a slug, a version counter) so that what
    the next save compares against is the truth. Returns what could not be
    restored, and the revision's values of the live fields an editor edits (the
    form shows them; the save then writes them)."""
    snap = snapshot(version, follows)
    obj = snap.item.object
    model = type(obj)
    current = model._base_manager.filter(pk=obj.pk).first()
    if current is None:
        raise RestoreError("it was deleted")
    for follow in follows:
        if has_files(follow.model):
            continue
        for row in follow.model._base_manager.filter(**{follow.fk.name: obj.pk}):
            if row.pk not in snap.rows[follow]:
                row.delete()
    shown = {}
    for name in live_fields:
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if f.editable:
            shown[f.attname] = getattr(obj, f.attname)
        setattr(obj, f.attname, getattr(current, f.attname))
    skipped: list[str] = []
    put_back(snap.item, skipped, required=True)
    for rows in snap.rows.values():
        for row in rows.values():
            put_back(row, skipped, required=False)
    return skipped, shown


# The admin


class _Discard(Exception):
    """Rolls back a restore that was only shown, not saved."""

    def __init__(self, response):
        self.response = response


class RevisionAdmin(VersionAdmin):
    """A model admin whose saves keep revisions, with a history that compares
    any two of them and restores one (as a new revision)."""

    object_history_template = "admin/revisions/object_history.html"
    revision_form_template = "admin/revisions/restore_form.html"
    history_latest_first = True
    change_list_template = None  # without reversion's "Recover deleted" link
    # Kept as they are in the database by a restore: see restore().
    restore_keeps_live: tuple[str, ...] = ("slug", "updated")

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Every form has a note for the history, the revision's message with
        # the admin's own ("Changed Synopsis.").
        if "form" not in kwargs:
            note = forms.CharField(
                label="Note for the history",
                max_length=300,
                required=False,
                help_text="Optional: why you made this change, for whoever reads "
                "the history.",
            )
            kwargs["form"] = type(
                self.form.__name__, (self.form,), {"revision_note": note}
            )
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "revision_note" in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, ("History", {"fields": ["revision_note"]})]

    def construct_change_message(self, request, form, formsets, add=False):
        request._revision_note = form.cleaned_data.get("revision_note", "").strip()
        if "revision_note" in form.changed_data:  # a note, not a change
            form.changed_data.remove("revision_note")
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._add_revision_note(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._add_revision_note(request)
        return entry

    def _add_revision_note(self, request):
        note = getattr(request, "_revision_note", "")
        if note and reversion.is_active():
            reversion.set_comment(f"{reversion.get_comment()} Note: {note}")

    def revision_follows(self) -> list[Follow]:
        """The rows edited with the object: those of the admin's inlines."""
        follows = []
        for inline in self.inlines:
            fk = next(
                f
                for f in inline.model._meta.concrete_fields
                if f.is_relation
                and f.related_model == self.model
                and (not inline.fk_name or f.name == inline.fk_name)
            )
            label = inline.verbose_name_plural or inline.model._meta.verbose_name_plural
            follows.append(Follow(inline.model, fk, str(label)))
        return follows

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        compare = self.admin_site.admin_view(self.revision_compare_view)
        return [
            path(
                "<path:object_id>/history/compare/",
                compare,
                name="{}_{}_revision_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        restoring = getattr(request, "_revision_restoring", None)
        if obj is not None and restoring and restoring[0] == obj.pk:
            for attname, value in restoring[1].items():
                setattr(obj, attname, value)
        return obj

    def _changeable_object(self, request: HttpRequest, object_id: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this id.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _history_url(self, obj) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_history".format(*info), args=[quote(str(obj.pk))])

    def history_view(self, request, object_id, extra_context=None):
        info = self.opts.app_label, self.opts.model_name
        versions = list(
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision__user")
            .order_by("-pk")
        )
        revisions = [
            {
                "version": version,
                "restore_url": reverse(
                    "admin:{}_{}_revision".format(*info),
                    args=[quote(version.object_id), version.pk],
                ),
                "previous": previous,
            }
            for version, previous in itertools.zip_longest(versions, versions[1:])
        ]
        # What the admin logged before revisions were kept: shown, not
        # comparable.
        earlier = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=unquote(object_id),
        ).select_related("user")
        if versions:
            earlier = earlier.filter(action_time__lt=versions[-1].revision.date_created)
        context = {
            "revisions": revisions,
            "earlier": earlier.order_by("-action_time", "-pk"),
            "compare_url": reverse(
                "admin:{}_{}_revision_compare".format(*info), args=[object_id]
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def revision_compare_view(self, request, object_id):
        """What changed between two revisions (`?from=` and `?to=` version
        ids), field by field, for staff who may change the object."""
        obj = self._changeable_object(request, object_id)
        try:
            ids = sorted(int(request.GET[name]) for name in ("from", "to"))
        except (KeyError, ValueError) as error:
            raise BadRequest("Choose two revisions to compare.") from error
        if not all(0 < pk <= MAX_VERSION_ID for pk in ids):
            raise Http404("No such revision of this object.")
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        found = {version.pk: version for version in versions.filter(pk__in=ids)}
        if len(found) != len(set(ids)):
            raise Http404("No such revision of this object.")
        old, new = found[ids[0]], found[ids[1]]
        follows = self.revision_follows()
        changes, rows = compare(snapshot(old, follows), snapshot(new, follows), follows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Changes to {obj}",
            "old": old,
            "new": new,
            "changes": changes,
            "rows": rows,
            "history_url": self._history_url(obj),
        }
        return TemplateResponse(request, "admin/revisions/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """The change form filled in as the revision holds the object; saving
        it restores that revision as a new one, and the history keeps all."""
        obj = self._changeable_object(request, object_id)
        if not 0 < int(version_id) <= MAX_VERSION_ID:
            raise Http404("No such revision of this object.")
        try:
            version = Version.objects.get_for_object(obj).get(pk=version_id)
        except Version.DoesNotExist as error:
            raise Http404("No such revision of this object.") from error
        when = formats.date_format(
            timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
        )
        context = {
            "title": f"Restore {obj} as it was on {when}",
            "revert": True,
            **(extra_context or {}),
        }
        try:
            with transaction.atomic(), reversion.create_revision():
                reversion.set_user(request.user)
                skipped, shown = restore(
                    version, self.revision_follows(), self.restore_keeps_live
                )
                request._revision_restoring = (obj.pk, shown)
                for text in skipped:
                    messages.warning(request, f"Not restored: {text}")
                response = self.changeform_view(
                    request, quote(str(obj.pk)), request.path, context
                )
                if request.method == "POST" and response.status_code == 302:
                    saved = self.model._base_manager.get(pk=obj.pk)
                    # What the editor changed in the restored form, if anything.
                    then = reversion.get_comment().removeprefix("No fields changed.")
                    parts = [
                        f"Restored the revision of {when}.",
                        self.restore_comment(obj, saved),
                        then.strip(),
                    ]
                    reversion.set_comment(" ".join(filter(None, parts)))
                    return response
                # Shown (or shown again with errors): none of it is kept.
                if isinstance(response, TemplateResponse):
                    response.template_name = self.revision_form_template
                    response.render()
                raise _Discard(response)
        except _Discard as discarded:
            return discarded.response
        except RestoreError as error:
            messages.error(request, f"This revision cannot be restored: {error}.")
            return redirect(self._history_url(obj))

    def restore_comment(self, before, after) -> str:
        """What else the revision of a restore says, given the object before
        and after it ("Unpublished.")."""
        return ""

    def recover_view(self, request, version_id, extra_context=None):
        # Deleted objects are not brought back from here: their pictures'
        # files and their old addresses are gone with them.
        raise Http404

    def recoverlist_view(self, request, extra_context=None) -> HttpResponse:
        raise Http404
