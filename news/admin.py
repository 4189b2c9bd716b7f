import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache

from core.admin import GuardedAdmin, GuardedForm
from core.revisions import RevisionAdmin
from core.text import normalise_line_breaks
from images.admin import ADMIN_CSS, thumbnail

from . import checks, previews, services
from .models import Article, Author, Byline, PreviewLink, Section, bylines_prefetch


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


class PreviewLinkInline(admin.TabularInline):
    """The article's preview links: who they were for, until when, and a box to
    revoke one. Links are made with the "Preview link" button (the address is
    shown once); a deleted link stops working too."""

    model = PreviewLink
    extra = 0
    fields = ["note", "created_at", "created_by", "expires_at", "revoked", "state"]
    readonly_fields = ["created_at", "created_by", "state"]
    verbose_name_plural = "preview links for people without an account"

    def has_add_permission(self, request, obj=None):
        return False  # made by the button, which shows the address once

    # Whoever may change the article manages its links.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("news.change_article")

    has_change_permission = has_delete_permission = has_view_permission

    @admin.display(description="state")
    def state(self, link):
        if link.revoked:
            return "Revoked"
        return "Works" if link.works else "Expired"


class ArticleAdminForm(GuardedForm):
    """The article form; ArticleAdmin's fieldsets choose its model fields.
    Browsers send a textarea's line breaks as CRLF: counted as typed, each
    would count twice against the body's cap."""

    tag = forms.MultipleChoiceField(
        label="Tag the article with",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Films and people the saved body names or links to, not tagged "
        "yet: tick those the article is about.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The checks of the article as saved; the panel shows the same ones.
        self.instance.checks = checks.check(self.instance)
        self.fields["tag"].choices = [
            (suggestion.value, suggestion.label)
            for suggestion in self.instance.checks.suggestions
        ]

    def clean_body(self):
        return normalise_line_breaks(self.cleaned_data["body"])

    def clean_correction(self):
        return normalise_line_breaks(self.cleaned_data["correction"])


@admin.register(Article)
class ArticleAdmin(RevisionAdmin, GuardedAdmin):
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
    change_form_template = "admin/news/article/change_form.html"

    class Media:  # admin-pictures.css: the lead image's thumbnail
        css = {"all": ["css/admin-news.css", ADMIN_CSS]}

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

    def get_inlines(self, request, obj):
        # Preview links are listed on a saved article's page, but are not part
        # of its revisions (added here, not in `inlines`, which reversion
        # follows): restoring one must not bring a revoked link back.
        if obj is None:
            return self.inlines
        return [*self.inlines, PreviewLinkInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets  # nothing saved to check yet
        return [("Checks", {"fields": ["checks_panel", "tag"]}), *fieldsets]

    @admin.display(description="before publishing")
    def checks_panel(self, article):
        found = getattr(article, "checks", None) or checks.check(article)
        if not found.warnings:
            return "Nothing to look at again."
        return format_html(
            '<ul class="article-checks">{}</ul>',
            format_html_join("", "<li>{}</li>", ((w,) for w in found.warnings)),
        )

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
        fields = [
            "created",
            "updated",
            "body_links",
            "lead_image_preview",
            "checks_panel",
        ]
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
        article = form.instance
        chosen = [value.split(":") for value in form.cleaned_data.get("tag", [])]
        article.films.add(*(int(pk) for kind, pk in chosen if kind == "film"))
        article.people.add(*(int(pk) for kind, pk in chosen if kind == "person"))
        films, people = services.record_body_links(article)
        if films or people:
            names = ", ".join(str(item) for item in [*films, *people])
            messages.warning(
                request,
                f"The body links to {names}, but the article is not tagged with "
                "them: tick them under “Checks” to tag them.",
            )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        share = self.admin_site.admin_view(self.preview_link_view)
        return [
            path("<int:pk>/preview/", preview, name="news_article_preview"),
            path("<int:pk>/preview-link/", share, name="news_article_preview_link"),
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

    def preview_link_view(self, request, pk):
        """POST: make a preview link for someone without an account, and show
        its address once."""
        article = get_object_or_404(Article, pk=pk)
        change_url = reverse("admin:news_article_change", args=[pk])
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if article.is_live:
            self.message_user(
                request,
                "This article is published: share its address instead.",
                level=messages.WARNING,
            )
            return redirect(change_url)
        try:
            days = int(request.POST.get("days", previews.DEFAULT_DAYS))
            note = request.POST.get("note", "")[:200]
            _link, address = previews.create(
                article, request.user, days=days, note=note
            )
        except ValueError:
            self.message_user(
                request,
                f"A preview link lasts from 1 to {previews.MAX_DAYS} days.",
                level=messages.ERROR,
            )
            return redirect(change_url)
        self.message_user(
            request,
            format_html(
                "Preview link for {} days (copy it now, it is shown only once): "
                '<a href="{}">{}</a>',
                days,
                address,
                request.build_absolute_uri(address),
            ),
            level=messages.SUCCESS,
        )
        return redirect(change_url)

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
