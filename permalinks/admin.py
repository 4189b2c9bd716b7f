from django.contrib import admin
from django.utils.html import format_html

from core.admin import GuardedAdmin

from .models import OldSlug


@admin.register(OldSlug)
class OldSlugAdmin(GuardedAdmin):
    """The old addresses, for reference: they are recorded when an editor
    changes a slug and can be deleted to free a slug's old address."""

    list_display = ["slug", "content_type", "current", "created"]
    list_filter = ["content_type"]
    search_fields = ["slug"]
    readonly_fields = ["content_type", "object_id", "slug", "created", "current"]
    list_select_related = ["content_type"]

    @admin.display(description="now at")
    def current(self, old_slug):
        target = old_slug.target
        if target is None:
            return "–"
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
