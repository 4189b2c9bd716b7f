from django.contrib import admin

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


class AlternativeTitleInline(admin.TabularInline):
    model = AlternativeTitle
    extra = 0
    autocomplete_fields = ["country"]


class FilmCreditInline(admin.TabularInline):
    model = Credit
    extra = 1
    fields = ["person", "department", "job", "character", "billing_order"]
    autocomplete_fields = ["person"]
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


class PersonCreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    fields = ["film", "department", "job", "character", "billing_order"]
    autocomplete_fields = ["film"]
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
