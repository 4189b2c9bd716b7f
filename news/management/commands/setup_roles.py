from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

CATALOG_MODELS = [
    "film",
    "person",
    "credit",
    "alternativetitle",
    "watchlink",
    "still",
    "portrait",
    "video",
]
CATALOG_REFERENCE = ["genre", "country", "language", "company", "personnamevariant"]

# Permission codenames per group. Writers draft; editors also publish, schedule
# and delete, and keep the catalog and the magazine's sections and authors.
ROLES = {
    "Writers": [
        "view_article",
        "add_article",
        "change_article",
        *(f"{action}_byline" for action in ("view", "add", "change", "delete")),
        "view_section",
        "view_author",
        *(f"view_{model}" for model in CATALOG_MODELS + CATALOG_REFERENCE),
    ],
    "Editors": [
        *(
            f"{action}_{model}"
            for action in ("view", "add", "change", "delete")
            for model in ["article", "section", "author", "byline"]
            + CATALOG_MODELS
            + CATALOG_REFERENCE
        ),
        "publish_article",
    ],
}


class Command(BaseCommand):
    help = (
        "Create or update the Writers and Editors groups. Writers draft "
        "articles; editors also publish, schedule and manage the catalog."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for name, codenames in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            permissions = Permission.objects.filter(
                content_type__app_label__in=["news", "catalog"],
                codename__in=codenames,
            )
            missing = set(codenames) - {p.codename for p in permissions}
            if missing:
                raise CommandError(f"Unknown permissions: {sorted(missing)}")
            group.permissions.set(permissions)
            verb = "Created" if created else "Updated"
            self.stdout.write(
                f"{verb} the {name} group ({len(codenames)} permissions)."
            )
