from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site shell"

    def ready(self):
        from django.db import connections

        from . import checks, generation, logins  # noqa: F401 (checks registers)

        # Every write to content moves the page cache's generation.
        connection_created.connect(generation.watch)
        for connection in connections.all(initialized_only=True):
            generation.watch(connection)
        logins.connect_signals()

        # Every admin, the libraries' too, answers a NUL in its search or
        # filters as no match (core/admin_input.py). The admin's own ready()
        # has registered them all by now: it comes first in INSTALLED_APPS.
        from django.contrib import admin

        from .admin_input import adopt_registered_admins

        adopt_registered_admins(admin.site)


class FilmsiteAdminConfig(admin_apps.AdminConfig):
    """The admin with the site that asks staff for a second factor."""

    default = False
    default_site = "core.sites.FilmsiteAdminSite"
