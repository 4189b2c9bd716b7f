from django.db import models
from django.utils import timezone


class DemoLoad(models.Model):
    """A time the demo content was loaded into this database. Once there is one,
    ``load_demo`` leaves the database alone unless it is forced, so what an editor
    deleted stays deleted."""

    loaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["loaded_at"]
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"Demo loaded on {timezone.localtime(self.loaded_at):%Y-%m-%d %H:%M %Z}"
