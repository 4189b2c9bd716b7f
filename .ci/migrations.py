"""The project's migrations apply forward, back to zero and forward again, on
the database DATABASE_URL names (a throwaway one: everything in it is dropped;
the libraries' own migrations apply forward only: django-tasks-db has
irreversible ones);
then django-migration-linter reads the project's migrations for operations an
app server still running the previous release could not live with.

Usage (from .ci/run): DATABASE_URL=... .venv/bin/python .ci/migrations.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmsite.migration_lint_settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "ci-only-not-secret")
os.environ["DJANGO_ENV_FILE"] = ""

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402

PROJECT_APPS = ["catalog", "demo", "news", "permalinks", "search"]
# Migrations written before the linter ran, each checked by hand:
HISTORY = [
    # Adds Picture.status NOT NULL with a default: applied before the column
    # was read anywhere, and every row got the default.
    "0003_picture_status",
]


def apps_in_order() -> list[str]:
    """Apps with migrations, each after the apps its migrations depend on."""
    graph = MigrationLoader(connection).graph
    order: list[str] = []
    for app, _name in graph.leaf_nodes():
        for node in graph.forwards_plan((app, _name)):
            if node[0] not in order:
                order.append(node[0])
    return order


def main() -> None:
    print(f"Migrating {connection.vendor} forward, back to zero, forward again")
    call_command("migrate", verbosity=0, interactive=False)
    for app in reversed(apps_in_order()):
        if app in PROJECT_APPS:
            call_command("migrate", app, "zero", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        left = [
            table
            for table in connection.introspection.table_names(cursor)
            if table.split("_")[0] in PROJECT_APPS
        ]
    if left:
        sys.exit(f"Tables left after migrating everything to zero: {left}")
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor != "postgresql":
        return  # the linter's rules are about a live PostgreSQL
    print("Linting the project's migrations")
    call_command(
        "lintmigrations",
        include_apps=PROJECT_APPS,
        ignore_name=HISTORY,
        ignore_initial_migrations=True,
        no_cache=True,
        verbosity=1,
    )


if __name__ == "__main__":
    main()
