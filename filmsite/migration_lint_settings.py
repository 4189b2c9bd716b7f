"""The settings of the migration check in CI (.ci/migrations.py): the real
settings, with django-migration-linter installed for its command."""

from filmsite.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]  # noqa: F405
