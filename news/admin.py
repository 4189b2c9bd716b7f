import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache

from core.admin import GuardedAdmin, GuardedForm
from core.revisions import RevisionAdmin
from core.text import normalise_line_breaks
from images.admin import ADMIN_CSS, thumbnail

from . import services
from .models import Article, Author, Byline, Section, bylines_prefetch


@admin.register(Section)
class SectionAdmin(GuardedAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(GuardedAdmin):
    list_display = ["name", "slug", "user", "person"]
    list_select_related = ["user", "person"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "person"]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"


class ArticleAdminForm(GuardedForm):
    """The article form; ArticleAdmin's fieldsets choose its model fields.
    Browsers send a textarea's line breaks as CRLF: counted as typed, each
    would count twice against the body's cap."""

    def clean_body(self):
        return normalise_line_breaks(self.cleaned_data["body"])

    def clean_correction(self):
        return normalise_line_breaks(self.cleaned_data["correction"])


@admin.register(Article)
class ArticleAdmin(RevisionAdmin, GuardedAdmin):
    class Media:  # the lead image's thumbnail
        css = {"all": [ADMIN_CSS]}

    form = ArticleAdminForm
    # The version counter stays as it is, for the stale-edit guard.
    restore_keeps_live = (*RevisionAdmin.restore_keeps_live, "version")
    list_display = [
        "headline",
        "kind",
        "state_label",
        "section",
        "byline",
        "published_at",
    ]
    list_filter = ["status", "kind", "section", "authors"]
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "standfirst", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "films", "people", "reviewed_film", "lead_image"]
    inlines = [BylineInline]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["kind", "headline", "slug", "standfirst", "section"]}),
        ("Body", {"fields": ["body", "body_links"]}),
        ("About", {"fields": ["films", "people"]}),
        (
            "Lead image",
            {
                "fields": ["lead_image", "lead_image_preview"],
                "description": "A still from the catalog: add it to its film "
                "first, then pick it here by its caption or film.",
            },
        ),
        ("Review", {"fields": ["reviewed_film", "rating", "verdict"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        (
            "Correction",
            {"fields": ["correction", "corrected_at"], "classes": ["collapse"]},
        ),
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    @admin.display(description="preview")
    def lead_image_preview(self, article):
        still = article.lead_image
        if still is None:
            return "No lead image yet."
        credit = f" Image: {still.credit}" if still.credit else ""
        return format_html(
            "{}<p>{}{}</p>", thumbnail(still, width=240), still.caption, credit
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(bylines_prefetch())

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("news.publish_article")

    def has_change_permission(self, request, obj=None):
        # Writers edit drafts; once an article is published or scheduled, only
        # someone who may publish can change it.
        if (
            obj is not None
            and obj.status == Article.Status.PUBLISHED
            and not self.has_publish_permission(request)
        ):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = ["created", "updated", "body_links", "lead_image_preview"]
        if not self.has_publish_permission(request):
            fields += ["status", "published_at"]
        return fields

    def save_model(self, request, obj, form, change):
        # The form cannot set these for a writer (they are read-only); this
        # check also covers any other path into the admin's save.
        if obj.status != Article.Status.DRAFT and not self.has_publish_permission(
            request
        ):
            raise PermissionDenied
        obj._publication_change = services.publication_change(
            form.initial.get("status", obj.status),
            form.initial.get("published_at", obj.published_at),
            obj,
        )
        super().save_model(request, obj, form, change)

    def reversion_register(self, model, **kwargs):
        if model is Article:
            # Derived on every save from the body, so not kept twice.
            kwargs["exclude"] = ["body_html", "linked_films", "linked_people"]
        super().reversion_register(model, **kwargs)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._note_publication_change(obj)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._note_publication_change(obj)
        return entry

    def restore_comment(self, before, after):
        return services.publication_change(before.status, before.published_at, after)

    def _note_publication_change(self, article):
        """Starts the revision's message with "Published.", "Unpublished." or
        "Scheduled for …" when the save did that."""
        change = getattr(article, "_publication_change", "")
        if change and reversion.is_active():
            reversion.set_comment(f"{change} {reversion.get_comment()}".strip())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        films, people = services.record_body_links(form.instance)
        if films or people:
            names = ", ".join(str(item) for item in [*films, *people])
            messages.warning(
                request,
                f"The body links to {names}, but the article is not marked as "
                "being about them. Add them under “About” if it is.",
            )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:pk>/preview/", preview, name="news_article_preview"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def preview_view(self, request, pk):
        article = get_object_or_404(Article.objects.for_page(), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        response = TemplateResponse(
            request,
            "news/article_detail.html",
            {"article": article, "preview": True, "related": []},
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_view_on_site_url(self, obj=None):
        if obj is not None and not obj.is_live:
            return reverse("admin:news_article_preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    @admin.display(description="state", ordering="status")
    def state_label(self, article):
        if article.is_scheduled:
            return format_html(
                "<strong>Scheduled</strong> for {}",
                article.published_at.strftime("%-d %b %Y, %H:%M"),
            )
        return article.get_status_display()

    @admin.display(description="authors")
    def byline(self, article):
        return ", ".join(author.name for author in article.author_list)

    @admin.display(description="body links to")
    def body_links(self, article):
        if article.pk is None:
            return "Recorded when the article is saved."
        items = [*article.linked_films.all(), *article.linked_people.all()]
        if not items:
            return "No catalog links."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((item.get_absolute_url(), str(item)) for item in items),
        )

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        count = services.publish_now(queryset, request.user)
        self.message_user(
            request, f"{count} article(s) published.", level=messages.SUCCESS
        )

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = services.unpublish(queryset, request.user)
        self.message_user(
            request, f"{count} article(s) returned to draft.", level=messages.SUCCESS
        )
