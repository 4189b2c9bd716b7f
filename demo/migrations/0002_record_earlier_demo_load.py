from django.db import migrations

# The demo's film: a database that has it had the demo loaded before loads
# were recorded.
DEMO_FILM_SLUG = "jung-e"


def record_earlier_load(apps, schema_editor):
    Film = apps.get_model("catalog", "Film")
    DemoLoad = apps.get_model("demo", "DemoLoad")
    if Film.objects.filter(slug=DEMO_FILM_SLUG).exists():
        DemoLoad.objects.create()


class Migration(migrations.Migration):
    """A database that already holds the demo keeps what its editors deleted:
    its earlier load is recorded, so the next `make run` does not load it again."""

    dependencies = [
        ("demo", "0001_demoload"),
        ("catalog", "0002_stills_portraits_videos"),
    ]

    operations = [migrations.RunPython(record_earlier_load, migrations.RunPython.noop)]
