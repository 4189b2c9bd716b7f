"""Index the films, people, characters and articles already there."""

from django.db import migrations


def fill(apps, schema_editor):
    from search.indexing import rebuild

    rebuild(apps)


def empty(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all().delete()
    apps.get_model("search", "ArticleDocument").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_full_text_indexes"),
        ("catalog", "0002_stills_portraits_videos"),
        ("news", "0002_article_lead_image"),
    ]

    operations = [migrations.RunPython(fill, empty)]
