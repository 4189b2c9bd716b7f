from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class OldSlug(models.Model):
    """A slug a film, person or article had before an editor changed it.

    Its old addresses answer with a permanent redirect to the new ones, so links
    and bookmarks keep working. Recorded automatically when the slug changes.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    slug = models.SlugField("old slug", max_length=200)
    created = models.DateTimeField("changed", auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [
            # One old slug leads to one place; a later change takes it over.
            models.UniqueConstraint(
                fields=["content_type", "slug"],
                name="permalinks_oldslug_one_target_per_slug",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.slug} → {self.target}"
