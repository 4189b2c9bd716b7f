"""Admin searches and filters that PostgreSQL cannot run are no match.

PostgreSQL stores no NUL character, and psycopg refuses a query parameter that
holds one: a search box, a list filter or an autocomplete request with `%00`
in it would be a 500. Nothing stored can contain one, so such a request
matches nothing, on either database. Every admin of the site has this: the
project's own inherit it, and those Django and the libraries register are
registered again with it when the apps are ready (`adopt_registered_admins`);
a system check (core.E002) says so if one registered later does not.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core import checks

UNSTORABLE = "\x00"


def unstorable(request) -> bool:
    return any(
        UNSTORABLE in key or any(UNSTORABLE in value for value in values)
        for key, values in request.GET.lists()
    )


class NoMatchChangeList(ChangeList):
    """The change list of a request no stored row can match: empty."""

    def get_queryset(self, request, exclude_parameters=None):
        return self.root_queryset.none()


class UnstorableInputAdmin(admin.ModelAdmin):
    def get_search_results(self, request, queryset, search_term):
        if UNSTORABLE in search_term:  # the change list's box and autocomplete
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def get_changelist(self, request, **kwargs):
        if unstorable(request):
            return NoMatchChangeList
        return super().get_changelist(request, **kwargs)


def adopt_registered_admins(site: admin.AdminSite) -> None:
    """Register every admin that lacks the handling again, with it and
    nothing else changed."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, UnstorableInputAdmin):
            continue
        base = type(model_admin)
        site.unregister(model)
        name = f"{base.__name__}WithUnstorableInput"
        site.register(model, type(name, (UnstorableInputAdmin, base), {}))


@checks.register(checks.Tags.admin)
def check_unstorable_input(app_configs, **kwargs):
    return [
        checks.Error(
            f"The admin of {model._meta.label} does not inherit "
            "core.admin_input.UnstorableInputAdmin.",
            hint="A NUL in its search or filters is a 500 on PostgreSQL otherwise.",
            obj=type(model_admin),
            id="core.E002",
        )
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, UnstorableInputAdmin)
    ]
