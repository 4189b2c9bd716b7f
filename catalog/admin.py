from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet

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
    WatchLink,
)


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its selected option from `labels`, which its
    formset fills for every row at once: Django's widget asks the database once
    per row, which is 300 queries for a film with 300 credits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels: dict[str, str] = {}  # shared by each row's copy

    def optgroups(self, name, value, attr=None):
        selected = [v for v in value if v not in self.choices.field.empty_values]
        if not all(pk in self.labels for pk in selected):
            return super().optgroups(name, value, attr)
        options = (
            [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        )
        for pk in selected:
            options.append(
                self.create_option(name, pk, self.labels[pk], True, len(options))
            )
        return [(None, options, 0)]


class LabelledFormSet(BaseInlineFormSet):
    """Fills the labels of its inline's `labelled_field` in one query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.labelled_field
        widget = self.form.base_fields[name].widget
        widget = getattr(widget, "widget", widget)  # inside the related-field wrapper
        pks = {str(form[name].value()) for form in self.forms if form[name].value()}
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


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
    list_display = ["title", "original_title", "year", "kind", "status", "in_focus"]
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
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
    inlines = [AlternativeTitleInline, FilmCreditInline, WatchLinkInline]
    list_per_page = 50


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
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "native_name", "birth_date", "death_date"]
    search_fields = ["name", "native_name", "name_variants__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["native_name_language"]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", ("native_name", "native_name_language"), "slug"]}),
        ("Life", {"fields": [("birth_date", "death_date"), "birthplace", "biography"]}),
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
    inlines = [NameVariantInline, PersonCreditInline]
    list_per_page = 50
