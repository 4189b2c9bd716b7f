from django.db import models
from django.db.models import Q

from catalog.models import Credit, Film, Person
from news.models import Article


class SearchEntry(models.Model):
    """One searchable spelling of a film or a person, from one of its words on.

    A name of three words has three entries ("Kang Soo-yeon" gives the keys
    kangsooyeon, sooyeon and yeon), so a prefix match on the indexed key finds
    a query that starts at any word. Rows are derived data: the indexing
    services rewrite them whenever the catalog changes.
    """

    class Field(models.TextChoices):
        TITLE = "title", "title"
        ORIGINAL_TITLE = "original_title", "original title"
        ALTERNATIVE_TITLE = "alternative_title", "also known as"
        NAME = "name", "name"
        NATIVE_NAME = "native_name", "native-script name"
        NAME_VARIANT = "name_variant", "also known as"
        CHARACTER = "character", "character"

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    credit = models.ForeignKey(
        Credit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    field = models.CharField(max_length=20, choices=Field)
    text = models.CharField(max_length=200, help_text="The spelling as written.")
    whole = models.BooleanField(
        help_text="The key starts at the first word (not a later one)."
    )
    spelling = models.BigIntegerField(
        help_text="The same number on every entry of one spelling of one owner."
    )
    key = models.CharField(max_length=200)
    folded = models.CharField(
        max_length=200, help_text="The key with romanisations merged."
    )

    class Meta:
        ordering = ["key", "pk"]
        verbose_name_plural = "search entries"
        # Prefix matches are range scans of these indexes, read in key order
        # so that a limit stops them early. On PostgreSQL the keys use the "C"
        # collation (migration 0002), which lets LIKE 'prefix%' use them too.
        indexes = [
            models.Index(fields=["whole", "key"], name="search_entry_whole_key"),
            models.Index(fields=["folded"], name="search_entry_folded"),
            models.Index(fields=["spelling", "key"], name="search_entry_spelling_key"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(film__isnull=False) | Q(person__isnull=False),
                name="search_searchentry_film_or_person",
                violation_error_message="An entry is about a film or a person.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_field_display()}: {self.text})"


class ArticleDocument(models.Model):
    """An article's headline, standfirst and body as indexed words; the
    full-text indexes (FTS5 on SQLite, a GIN index on PostgreSQL) cover it."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    document = models.TextField()

    class Meta:
        ordering = ["article"]

    def __str__(self) -> str:
        return f"Search document of article {self.article_id}"
