import copy
from weakref import WeakKeyDictionary

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.admin import GuardedAdmin, GuardedForm
from core.revisions import RevisionAdmin
from images.admin import (
    ADMIN_CSS,
    ClearedReferencesMixin,
    MultipleImageField,
    ThumbnailMixin,
    thumbnail,
)
from images.models import checked_upload

from . import services
from .models import (
    AlternativeTitle,
    Company,
    Country,
    Credit,
    Film,
    Genre,
    Language,
    Person,
    PersonNameVariant,
    Portrait,
    Still,
    Video,
    WatchLink,
)
from .widgets import LabelledAutocompleteSelect, LabelledAutocompleteSelectMultiple


@admin.register(Genre)
class GenreAdmin(GuardedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(GuardedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Language)
class LanguageAdmin(GuardedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Company)
class CompanyAdmin(GuardedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class LabelledFormSet(BaseInlineFormSet):
    """Fills the labels of its inline's `labelled_field` in one query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.labelled_field
        widget = self.form.base_fields[name].widget
        widget = getattr(widget, "widget", widget)  # inside the related-field wrapper
        pks = set()
        for form in self.forms:
            value = form[name].value()
            values = value if isinstance(value, list | tuple) else [value]
            pks.update(str(v) for v in values if v)
        related = self.model._meta.get_field(name).related_model
        widget.labels.update(
            (str(obj.pk), str(obj)) for obj in related.objects.filter(pk__in=pks)
        )


class LabelledAutocompleteInline(admin.TabularInline):
    """A tabular inline whose `labelled_field` autocomplete costs one query for
    all its rows."""

    labelled_field = ""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["formset"] = type(
            "Labelled" + LabelledFormSet.__name__,
            (LabelledFormSet,),
            {"labelled_field": self.labelled_field},
        )
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.labelled_field:
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == self.labelled_field:
            kwargs["widget"] = LabelledAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AlternativeTitleInline(admin.TabularInline):
    model = AlternativeTitle
    extra = 0
    autocomplete_fields = ["country"]


class FilmCreditInline(LabelledAutocompleteInline):
    model = Credit
    extra = 1
    fields = ["person", "department", "job", "character", "billing_order"]
    autocomplete_fields = ["person"]
    labelled_field = "person"
    verbose_name_plural = "credits (cast and crew)"

    def get_queryset(self, request):
        # Each row is labelled with the credit's __str__, which names both.
        return super().get_queryset(request).select_related("person", "film")


class WatchLinkInline(admin.TabularInline):
    model = WatchLink
    extra = 0
    verbose_name_plural = "where to watch"


class LeadImageInlineMixin:
    """An inline of pictures that articles may lead with: ticking "delete" on
    one that published or scheduled articles lead with is a form error saying
    so (Django's would say the articles themselves must be deleted)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Form(formset.form):
            # The admin's inline form checks a ticked "delete" here.
            def hand_clean_DELETE(self):
                try:
                    super().hand_clean_DELETE()
                except ValidationError as error:
                    if error.code != "deleting_protected":
                        raise
                    raise ValidationError(
                        "The %(class_name)s “%(instance)s” cannot be deleted: "
                        "published or scheduled articles lead with it "
                        "(%(related_objects)s). Choose another lead image for "
                        "them, or return them to draft, then delete it.",
                        code="deleting_protected",
                        params=error.params,
                    ) from error

        formset.form = Form
        return formset


class StillInline(LeadImageInlineMixin, ThumbnailMixin, LabelledAutocompleteInline):
    model = Still
    extra = 0
    fields = [
        "thumbnail",
        "image",
        "kind",
        "caption",
        "alt_text",
        "decorative",
        "credit",
        "people",
        "position",
    ]
    readonly_fields = ["thumbnail"]
    autocomplete_fields = ["people"]
    labelled_field = "people"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("film")
            .prefetch_related("people")
        )


def film_still_choices(film: Film | None) -> list[tuple[object, str]]:
    """The film's stills as select choices; no query for a film not yet saved."""
    blank = [("", "---------")]
    if film is None or film.pk is None:
        return blank
    stills = Still.objects.filter(film=film).select_related("film")
    return blank + [(still.pk, str(still)) for still in stills]


class FilmStillChoicesFormSet(BaseInlineFormSet):
    """Offers the film's own stills as thumbnails, listed once for all rows.

    The film admin passes the list it made for the whole page (`still_choices`),
    so the poster field and these rows share one query."""

    still_field = "thumbnail"

    def __init__(self, *args, still_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if still_choices is None:
            still_choices = film_still_choices(self.instance)
        self.still_choices = still_choices

    def add_fields(self, form, index):
        super().add_fields(form, index)  # every row and the empty form
        form.fields[self.still_field].choices = self.still_choices


class VideoInline(admin.TabularInline):
    model = Video
    extra = 0
    formset = FilmStillChoicesFormSet
    fields = ["kind", "title", "url", "published_on", "thumbnail", "position"]
    verbose_name_plural = "trailers and teasers"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("film")


class FilmAdminForm(GuardedForm):
    new_stills = MultipleImageField(
        label="Add stills",
        required=False,
        help_text="Choose several image files at once; each becomes a still, "
        "which you can then caption below.",
    )
    new_stills_alt_text = forms.CharField(
        label="Alt text for the new stills",
        max_length=300,
        required=False,
        help_text="What they show, for readers who cannot see them; refine each "
        "one afterwards.",
    )
    new_stills_credit = forms.CharField(
        label="Credit line for the new stills", max_length=200, required=False
    )
    new_stills_kind = forms.ChoiceField(
        label="Kind of the new stills",
        choices=Still.Kind.choices,
        initial=Still.Kind.PRODUCTION,
    )

    class Meta:
        model = Film
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_stills") and not cleaned.get("new_stills_alt_text"):
            self.add_error(
                "new_stills_alt_text",
                "Describe the new stills for readers who cannot see them.",
            )
        return cleaned


class StillUploadForm(forms.Form):
    """One file of "Add stills", as the upload script sends it: the same field
    names and checks as the film form's."""

    new_stills = forms.FileField()
    new_stills_alt_text = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Describe the new stills for readers who cannot see them."
        },
    )
    new_stills_credit = forms.CharField(max_length=200, required=False)
    new_stills_kind = forms.ChoiceField(choices=Still.Kind.choices)

    def clean_new_stills(self):
        return checked_upload(self.cleaned_data["new_stills"])


def upload_still(model_admin, request: HttpRequest, object_id: str) -> JsonResponse:
    """Add one still to a film from one uploaded file: check it, store it as
    sent and leave its renditions to the background task. Answers JSON: 201
    with the still, or 400 with the form's errors by field."""
    film = model_admin.get_object(request, unquote(object_id))
    if film is None:
        return JsonResponse({"errors": {"__all__": ["No such film."]}}, status=404)
    if not (
        model_admin.has_change_permission(request, film)
        and request.user.has_perm("catalog.add_still")
    ):
        return JsonResponse(
            {"errors": {"__all__": ["You may not add stills to this film."]}},
            status=403,
        )
    form = StillUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    [still] = services.add_stills(
        film,
        [form.cleaned_data["new_stills"]],
        kind=form.cleaned_data["new_stills_kind"],
        alt_text=form.cleaned_data["new_stills_alt_text"],
        credit=form.cleaned_data["new_stills_credit"],
    )
    model_admin.log_change(
        request, film, [{"added": {"name": "still", "object": str(still)}}]
    )
    return JsonResponse(
        {"still": still.pk, "status": still.status, "message": "saved; processing"},
        status=201,
    )


@admin.register(Film)
class FilmAdmin(ClearedReferencesMixin, RevisionAdmin, GuardedAdmin):
    form = FilmAdminForm

    class Media:  # the list's poster thumbnails
        css = {"all": [ADMIN_CSS]}

    list_display = [
        "poster_thumbnail",
        "title",
        "original_title",
        "year",
        "kind",
        "status",
        "in_focus",
    ]
    list_display_links = ["poster_thumbnail", "title"]
    list_select_related = ["poster"]
    list_filter = ["kind", "status", "year", "in_focus", "genres"]
    search_fields = ["title", "original_title", "alternative_titles__title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "original_language",
        "genres",
        "countries",
        "languages",
        "production_companies",
        "distributor",
    ]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    ("original_title", "original_language"),
                    "slug",
                    ("kind", "status"),
                    "in_focus",
                ]
            },
        ),
        ("Release", {"fields": [("release_date", "year"), "runtime"]}),
        ("About", {"fields": ["synopsis", "genres", "countries", "languages"]}),
        ("Companies", {"fields": ["production_companies", "distributor"]}),
        (
            "Pictures",
            {
                "fields": [
                    "poster",
                    "new_stills",
                    "new_stills_alt_text",
                    ("new_stills_credit", "new_stills_kind"),
                ],
                "description": "The poster is one of the film's stills. New "
                "stills uploaded here are added after the ones below.",
            },
        ),
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
    inlines = [
        AlternativeTitleInline,
        FilmCreditInline,
        WatchLinkInline,
        StillInline,
        VideoInline,
    ]
    list_per_page = 50

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # The film's stills as choices, listed once per request for the poster
        # field and the videos' thumbnails; gone with the request.
        self._still_choices: WeakKeyDictionary[
            HttpRequest, tuple[int, list[tuple[object, str]]]
        ] = WeakKeyDictionary()

    @admin.display(description="poster")
    def poster_thumbnail(self, film):
        return thumbnail(film.poster, width=48)

    def still_choices(
        self, request: HttpRequest, film: Film | None
    ) -> list[tuple[object, str]]:
        """The film's stills as select choices, listed once for the request."""
        if film is None or film.pk is None:
            return film_still_choices(film)
        listed = self._still_choices.get(request)
        if listed is None or listed[0] != film.pk:
            listed = self._still_choices[request] = (film.pk, film_still_choices(film))
        return listed[1]

    def get_urls(self):
        upload = require_POST(self.admin_site.admin_view(self.upload_still_view))
        return [
            path(
                "<path:object_id>/stills/upload/",
                upload,
                name="catalog_film_upload_still",
            ),
            *super().get_urls(),
        ]

    def upload_still_view(self, request, object_id):
        return upload_still(self, request, object_id)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "poster" in form.base_fields:
            # The poster is one of the film's own stills. The class and its
            # fields are new for this call, so the choices are this film's only.
            form.base_fields["poster"].choices = self.still_choices(request, obj)
        if obj is not None and "new_stills" in form.base_fields:
            # With the script, "Add stills" sends one file per request here. A
            # copy: the declared field is shared by every request's form class.
            field = form.base_fields["new_stills"] = copy.deepcopy(
                form.base_fields["new_stills"]
            )
            field.widget.attrs["data-upload-url"] = reverse(
                "admin:catalog_film_upload_still", args=[obj.pk]
            )
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, FilmStillChoicesFormSet):
            kwargs["still_choices"] = self.still_choices(request, obj)
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        uploads = form.cleaned_data.get("new_stills") or []
        if not uploads:
            return
        stills = services.add_stills(
            form.instance,
            uploads,
            kind=form.cleaned_data["new_stills_kind"],
            alt_text=form.cleaned_data["new_stills_alt_text"],
            credit=form.cleaned_data["new_stills_credit"],
        )
        self.message_user(
            request,
            f"{len(stills)} still{'s' if len(stills) != 1 else ''} added; "
            "caption each one in the stills below. Each is shown on the site once "
            "its renditions are ready (“processing” until then).",
        )


@admin.register(Still)
class StillAdmin(ClearedReferencesMixin, ThumbnailMixin, GuardedAdmin):
    list_display = [
        "thumbnail",
        "__str__",
        "film",
        "kind",
        "status",
        "credit",
        "position",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["status", "kind"]
    search_fields = ["caption", "alt_text", "credit", "film__title"]
    autocomplete_fields = ["film", "people"]
    readonly_fields = ["thumbnail", "width", "height", "created"]
    fields = [
        "thumbnail",
        "image",
        ("width", "height"),
        "film",
        "kind",
        "caption",
        "alt_text",
        "decorative",
        "credit",
        "people",
        "position",
        "created",
    ]
    list_per_page = 50

    def get_queryset(self, request):
        # Its name (__str__) names the film: in the list and in the lead image
        # autocomplete alike, which ignores list_select_related.
        return super().get_queryset(request).select_related("film")


class PortraitInline(ThumbnailMixin, admin.StackedInline):
    model = Portrait
    fields = ["thumbnail", "image", "alt_text", "decorative", "credit"]
    readonly_fields = ["thumbnail"]


class NameVariantInline(admin.TabularInline):
    model = PersonNameVariant
    extra = 0


class PersonCreditInline(LabelledAutocompleteInline):
    model = Credit
    extra = 0
    fields = ["film", "department", "job", "character", "billing_order"]
    autocomplete_fields = ["film"]
    labelled_field = "film"
    verbose_name_plural = "credits"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "film")


@admin.register(Person)
class PersonAdmin(RevisionAdmin, GuardedAdmin):
    class Media:  # the list's portrait thumbnails
        css = {"all": [ADMIN_CSS]}

    list_display = [
        "portrait_thumbnail",
        "name",
        "native_name",
        "birth_date",
        "death_date",
    ]
    list_display_links = ["portrait_thumbnail", "name"]
    list_select_related = ["portrait"]
    search_fields = ["name", "native_name", "name_variants__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["native_name_language"]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", ("native_name", "native_name_language"), "slug"]}),
        ("Life", {"fields": [("birth_date", "death_date"), "birthplace", "biography"]}),
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
    inlines = [PortraitInline, NameVariantInline, PersonCreditInline]

    @admin.display(description="portrait")
    def portrait_thumbnail(self, person):
        return thumbnail(getattr(person, "portrait", None), width=48)

    list_per_page = 50
