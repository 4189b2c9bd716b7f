"""What every admin page of the project shares: saves that lose nothing.

Every ModelAdmin of the project inherits `GuardedAdmin` (and its form
`GuardedForm`), which gives it two guards:

- **Stale edits.** The change form carries a digest of what it showed from the
  database (the object's fields on the form and every row of its inlines) and
  when it was opened. A save is refused, with the form as typed and a message
  naming who changed the object and when, if that digest no longer matches the
  database. The object's row is locked (`SELECT … FOR UPDATE`) for the save, so
  two saves cannot both pass the check.
- **Unique values taken a moment ago.** If the write itself hits a unique
  constraint (another save took the slug between this form's validation and its
  INSERT), the whole save is rolled back and the form is validated again, now
  against the other row, so the editor gets the field error instead of a 500.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from django import forms
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.fields.files import FieldFile
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from .admin_input import UnstorableInputAdmin

# The hidden field of every change form that holds "what I opened, and when".
LOADED_STATE = "loaded_state"


@dataclass
class EditGuard:
    """What the guard knows about one request to a change form."""

    # The inline formsets of the page, made after the main form: part of what
    # the editor could overwrite.
    formsets: list[BaseModelFormSet] = field(default_factory=list)
    # A unique constraint the save hit twice, though validation saw no clash.
    conflict: IntegrityError | None = None


class LoadedStateField(forms.CharField):
    """The state the page was opened in: a token, never a change of its own
    (it stays out of the change message and the revision's)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class GuardedForm(forms.ModelForm):
    """The base of every admin form of the project (see `GuardedAdmin`)."""

    loaded_state = LoadedStateField(required=False)

    # Set per request by GuardedAdmin.get_form() on the class it makes.
    edit_guard: EditGuard | None = None

    def clean(self):
        cleaned = super().clean()
        guard = self.edit_guard
        if guard is None:
            return cleaned
        if guard.conflict is not None:
            raise ValidationError(conflict_message(self.instance), code="taken")
        loaded = cleaned.get(LOADED_STATE)
        # A form posted without the field was not opened in the admin (a
        # script, a test): there is nothing to compare it with.
        if loaded and not self.instance._state.adding:
            digest, opened = parse_loaded_state(loaded)
            if digest != state_digest(self, guard.formsets):
                raise ValidationError(
                    stale_message(self.instance, opened, guard.formsets),
                    code="stale",
                )
        return cleaned


class GuardedAdmin(UnstorableInputAdmin):
    """A ModelAdmin whose saves never overwrite someone else's change unseen and
    never answer a unique value taken a moment ago with a 500."""

    form = GuardedForm

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self._edit_guards: WeakKeyDictionary[HttpRequest, EditGuard] = (
            WeakKeyDictionary()
        )

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not issubclass(self.form, GuardedForm):
            errors.append(
                checks.Error(
                    f"{type(self).__name__}.form must inherit core.admin.GuardedForm.",
                    hint="Its saves are not guarded against stale edits otherwise.",
                    obj=type(self),
                    id="core.E001",
                )
            )
        return errors

    def edit_guard(self, request: HttpRequest) -> EditGuard:
        guard = self._edit_guards.get(request)
        if guard is None:
            guard = self._edit_guards[request] = EditGuard()
        return guard

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        if request.method != "POST":
            return view(request, object_id, form_url, extra_context)
        try:
            return view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # Another save took a unique value after this form was validated.
            # Its transaction is rolled back, so nothing is half-saved; the
            # second run validates against the other row and shows the form
            # with that field's error.
            pass
        rewind_uploads(request)
        try:
            return view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            # Validation still sees no clash (a constraint the form does not
            # check): say so on the form rather than fail.
            self.edit_guard(request).conflict = error
        rewind_uploads(request)
        return view(request, object_id, form_url, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's private answer to a change form of an object that is gone:
        # a redirect, which would lose what a save posted.
        if request.method == "POST":
            return self.deleted_while_editing(request, object_id)
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def deleted_while_editing(self, request, object_id) -> TemplateResponse:
        """Someone deleted the object while this editor had it open: instead of
        Django's redirect, which would lose the typing, a page that says who
        and when and shows everything typed, to copy."""
        content_type = ContentType.objects.get_for_model(
            self.model, for_concrete_model=False
        )
        deletion = (
            LogEntry.objects.filter(
                content_type=content_type,
                object_id=unquote(object_id),
                action_flag=DELETION,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        typed = [
            (self._typed_label(name), value)
            for name, value in request.POST.items()
            if value.strip()
            and not name.startswith("_")
            and name not in ("csrfmiddlewaretoken", LOADED_STATE)
            and not name.endswith(("_FORMS", "-id", "-DELETE"))
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"This {self.opts.verbose_name} was deleted",
            "deletion": deletion,
            "typed": typed,
            "has_add_permission": self.has_add_permission(request),
        }
        return TemplateResponse(
            request, "admin/deleted_while_editing.html", context, status=409
        )

    def _typed_label(self, name: str) -> str:
        """ "synopsis" -> "synopsis"; "credits-0-character" -> "credits, row 1:
        character"."""
        prefix, _, rest = name.partition("-")
        number, _, field_name = rest.partition("-")
        if number.isdigit() and field_name:
            return (
                f"{prefix.replace('_', ' ')}, row {int(number) + 1}: "
                f"{field_name.replace('_', ' ')}"
            )
        try:
            return str(self.opts.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name.replace("_", " ")

    def get_object(self, request, object_id, from_field=None):
        using = router.db_for_write(self.model)
        if (
            request.method != "POST"
            or from_field is not None
            or not transaction.get_connection(using).in_atomic_block
        ):
            return super().get_object(request, object_id, from_field)
        # A save locks the row it loads until it commits, so a second save of
        # the same object waits and then compares against the first one's
        # result. (SQLite, which has no row locks, runs one write at a time.)
        queryset = self.get_queryset(request).select_for_update(of=("self",))
        try:
            return queryset.get(pk=self.opts.pk.to_python(object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # The class is new for this call, so the guard is this request's only.
        form.edit_guard = self.edit_guard(request)
        return form

    def get_fields(self, request, obj=None):
        # The hidden field is placed by get_fieldsets(), and only where it works.
        return [
            name for name in super().get_fields(request, obj) if name != LOADED_STATE
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if (
            obj is None
            or LOADED_STATE in flatten_fieldsets(fieldsets)
            or not self.has_change_permission(request, obj)
        ):
            return fieldsets
        (name, options), *rest = fieldsets
        first = (name, {**options, "fields": [*options["fields"], LOADED_STATE]})
        return [first, *rest]

    def _create_formsets(self, request, obj, change):
        # The one place that sees the inline formsets before the main form is
        # validated. It is Django's private helper: if it changes, the tests of
        # tests/core/test_admin.py fail.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        self.edit_guard(request).formsets = formsets
        return formsets, inline_instances

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        form = context["adminform"].form
        if change and not form.is_bound and LOADED_STATE in form.fields:
            # What this page shows, from the rows it has already loaded.
            form.fields[LOADED_STATE].initial = loaded_state(
                form, self.edit_guard(request).formsets
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


def loaded_state(form: forms.ModelForm, formsets: list[BaseModelFormSet]) -> str:
    """The value of the hidden field: the state digest and the time opened."""
    return f"{state_digest(form, formsets)}@{timezone.now().timestamp():.6f}"


def parse_loaded_state(value: str) -> tuple[str, datetime.datetime | None]:
    digest, _, opened = value.partition("@")
    try:
        return digest, datetime.datetime.fromtimestamp(float(opened), datetime.UTC)
    except (ValueError, OverflowError):
        return digest, None


def state_digest(form: forms.ModelForm, formsets: list[BaseModelFormSet]) -> str:
    """A digest of what the change form shows from the database: the object's
    fields on the form and the rows of its inlines.

    Computed from the values the form and the formsets' rows loaded when they
    were made (before validation touches them), so it costs no query. On a save
    the rows are those the editor's page had, as they are now: one changed or
    deleted since makes the form stale; one added since does not, since the
    save cannot overwrite it. Nor does a field the form does not show (a
    timestamp, a counter).
    """
    rows = [["", form.instance.pk, plain(form.initial)]]
    for formset in formsets:
        for row_form in formset.initial_forms:
            # On a save, a row deleted since comes back without a primary key.
            pk = row_form.instance.pk
            values = plain(row_form.initial) if pk is not None else None
            rows.append([formset.prefix, pk, values])
    encoded = json.dumps(rows, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def plain(value):
    """`value` as JSON-ready data that is the same on every load."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items() if key != LOADED_STATE}
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted((plain(item) for item in value), key=str)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def shown_objects(
    obj: models.Model, formsets: list[BaseModelFormSet]
) -> list[models.Model | tuple[type[models.Model], object]]:
    """What a change of the page could have been made through: the object, the
    rows of its inlines (a still edited on its own page) and what those rows
    point to (a credit changed on the person's page)."""
    shown: list[models.Model | tuple[type[models.Model], object]] = [obj]
    for formset in formsets:
        to_parent = getattr(formset, "fk", None)
        for row_form in formset.initial_forms:
            row = row_form.instance
            if row.pk is None:
                continue
            shown.append(row)
            for fk in row._meta.concrete_fields:
                value = getattr(row, fk.attname)
                if fk.many_to_one and fk != to_parent and value is not None:
                    shown.append((fk.related_model, value))
    return shown


def last_change(
    shown: list[models.Model | tuple[type[models.Model], object]],
    since: datetime.datetime | None,
) -> LogEntry | None:
    """The latest entry of the admin history (which bulk actions write too) of
    any of `shown` since `since`; of the first alone without a time."""
    if since is None:
        shown = shown[:1]
    by_model: dict[type[models.Model], set[str]] = {}
    for item in shown:
        model, pk = (type(item), item.pk) if isinstance(item, models.Model) else item
        by_model.setdefault(model, set()).add(str(pk))
    content_types = ContentType.objects.get_for_models(
        *by_model, for_concrete_models=False
    )
    about = models.Q()
    for model, pks in by_model.items():
        about |= models.Q(content_type=content_types[model], object_id__in=pks)
    entries = LogEntry.objects.filter(about)
    if since is not None:
        entries = entries.filter(action_time__gte=since)
    return entries.select_related("user").order_by("-action_time", "-pk").first()


def stale_message(
    obj: models.Model,
    opened: datetime.datetime | None,
    formsets: list[BaseModelFormSet],
) -> str:
    name = obj._meta.verbose_name
    what = f"this {name}"
    by = ""
    entry = last_change(shown_objects(obj, formsets), opened)
    if entry is not None:
        user = entry.user
        when = timezone.localtime(entry.action_time)
        own_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        through = ""
        if (entry.content_type_id, entry.object_id) != (own_type.pk, str(obj.pk)):
            through = f", on {entry.object_repr}"
        by = (
            f" ({user.get_full_name() or user.get_username()}, "
            f"{when:%-d %b %Y at %H:%M} {when.tzname()}{through})"
        )
    elif formsets:
        what = f"this {name} or something its page shows"
    return (
        f"Someone else changed {what} since you opened it{by}, so your "
        "changes were not saved. Copy anything you want to keep, reload the page "
        "to see their version, then make your changes again."
    )


def conflict_message(obj: models.Model) -> str:
    name = obj._meta.verbose_name
    return (
        f"Another save took a name, address or other value this {name} must not "
        "share, at the same moment, so your changes were not saved. Check the "
        "slug and the other unique values, then save again."
    )


def rewind_uploads(request: HttpRequest) -> None:
    """Uploaded files are read again by the next run of the form."""
    for _name, uploads in request.FILES.lists():
        for upload in uploads:
            upload.seek(0)
