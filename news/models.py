from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from catalog.models import Film, Person, Still
from core.text import strip_control_characters

from .limits import MAX_BODY_LENGTH, MAX_CORRECTION_LENGTH
from .rendering import RenderedBody, render_body

RATINGS = [(Decimal(n) / 2).quantize(Decimal("0.1")) for n in range(1, 11)]  # 0.5…5.0


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in menus; lower comes first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:section-detail", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField("short biography", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The staff account this author signs in with, if any.",
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The catalog entry of an author who also makes films.",
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:author-detail", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """Visible to readers now. Scheduled articles appear by themselves when
        their time comes: visibility is decided here, at query time."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def news(self) -> ArticleQuerySet:
        """News and features: everything that is not a review."""
        return self.exclude(kind=Article.Kind.REVIEW)

    def reviews(self) -> ArticleQuerySet:
        return self.filter(kind=Article.Kind.REVIEW)

    def for_listing(self) -> ArticleQuerySet:
        """What an article card shows: section, authors and the reviewed film."""
        return self.select_related(
            "section", "reviewed_film", "lead_image"
        ).prefetch_related(bylines_prefetch())

    def for_page(self) -> ArticleQuerySet:
        """Everything the article page shows, in a fixed number of queries."""
        return (
            self.for_listing()
            .select_related("reviewed_film__original_language")
            .prefetch_related(
                "reviewed_film__genres",
                "reviewed_film__watch_links",
                Prefetch("films", queryset=Film.objects.for_listing()),
                Prefetch(
                    "people",
                    queryset=Person.objects.select_related("native_name_language"),
                ),
            )
        )

    def matching(self, condition: Q) -> ArticleQuerySet:
        """Articles matching a condition across many-to-many relations, each
        once. A subquery rather than DISTINCT, which would compare whole rows
        (bodies included) and clash with aggregates and window functions."""
        return self.filter(pk__in=Article.objects.filter(condition).values("pk"))

    def about_film(self, film: Film) -> ArticleQuerySet:
        return self.matching(Q(films=film) | Q(reviewed_film=film))

    def about_person(self, person: Person) -> ArticleQuerySet:
        return self.matching(Q(people=person))


def protect_published_else_set_null(collector, field, sub_objs, using):
    """on_delete for an article's lead image: a still that a published or
    scheduled article leads with cannot be deleted (ProtectedError names those
    articles, and the admin's delete pages list them); drafts lose it."""
    published = list(
        sub_objs.filter(status=Article.Status.PUBLISHED)
        .select_related(None)
        .only("pk", "kind", "headline", "slug", "status", "published_at")
    )
    if published:
        raise models.ProtectedError(
            "Cannot delete a still that published or scheduled articles lead "
            "with: " + ", ".join(str(article) for article in published),
            published,
        )
    models.SET_NULL(collector, field, sub_objs, using)


class Article(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "News"
        REVIEW = "review", "Review"
        FEATURE = "feature", "Feature"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    # Names the article for good, whatever happens to its slug, headline or
    # dates: feed readers use it to tell a new item from an edited one.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.NEWS)
    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        error_messages={"unique": "Another article already has this slug."},
    )
    standfirst = models.CharField(
        max_length=400,
        blank=True,
        help_text="One or two sentences shown in lists, feeds and link previews.",
    )
    body = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_BODY_LENGTH)],
        help_text="Markdown. Link the catalog with [Jung_E](film:jung-e) or "
        "[Kim Hyun-joo](person:kim-hyun-joo).",
    )
    body_html = models.TextField(blank=True, editable=False)
    lead_image = models.ForeignKey(
        Still,
        on_delete=protect_published_else_set_null,
        null=True,
        blank=True,
        related_name="lead_articles",
        help_text="A still of a film the article is about, shown at the top, on "
        "cards and in feeds, with its own caption and credit.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, through="Byline", related_name="articles", blank=True
    )
    films = models.ManyToManyField(
        Film, blank=True, related_name="articles", verbose_name="films it is about"
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="articles", verbose_name="people it is about"
    )
    linked_films = models.ManyToManyField(
        Film,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Films the body links to, recorded on save.",
    )
    linked_people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="+",
        editable=False,
        help_text="People the body links to, recorded on save.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        db_index=True,
        help_text="A time in the future schedules the article.",
    )
    reviewed_film = models.ForeignKey(
        Film,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        help_text="Reviews only: the film reviewed.",
    )
    rating = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        choices=[(r, f"{r:g} / 5") for r in RATINGS],
        help_text="Reviews only, optional.",
    )
    verdict = models.CharField(
        max_length=200, blank=True, help_text="Reviews only: the verdict in a line."
    )
    correction = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_CORRECTION_LENGTH)],
        help_text="Shown with its date above the body.",
    )
    corrected_at = models.DateTimeField("correction time", null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish and schedule articles")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="review", reviewed_film__isnull=False)
                    | (~Q(kind="review") & Q(reviewed_film__isnull=True))
                ),
                name="news_article_reviewed_film_only_on_reviews",
                violation_error_message="A review names the film it reviews; "
                "other articles do not.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(kind="review", rating__in=RATINGS),
                name="news_article_rating_half_steps_on_reviews",
                violation_error_message="A rating is for reviews, from 0.5 to 5 "
                "in half steps.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="news_article_published_has_time",
                violation_error_message="A published article needs a publication time.",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        for field in ("headline", "standfirst", "body", "verdict", "correction"):
            setattr(self, field, strip_control_characters(getattr(self, field)))
        self.body_html = self.rendered_body().html
        self.version += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        name = "review-detail" if self.kind == self.Kind.REVIEW else "article-detail"
        return reverse(f"news:{name}", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.kind == self.Kind.REVIEW and not self.reviewed_film_id:
            errors["reviewed_film"] = "A review names the film it reviews."
        if self.kind != self.Kind.REVIEW:
            if self.reviewed_film_id:
                errors["reviewed_film"] = "Only reviews name a reviewed film."
            if self.rating is not None:
                errors["rating"] = "Only reviews carry a rating."
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.correction and not self.corrected_at:
            self.corrected_at = timezone.now()
        if len(self.body) <= MAX_BODY_LENGTH:
            missing = self.rendered_body().missing
            if missing:
                errors["body"] = (
                    "The catalog has nothing at "
                    + ", ".join(missing)
                    + ". Check the slug on the film or person page."
                )
        if errors:
            raise ValidationError(errors)

    def rendered_body(self) -> RenderedBody:
        """The body rendered once per text: validation, saving and recording
        the catalog links all need it."""
        cached = getattr(self, "_rendered", None)
        if cached is None or cached[0] != self.body:
            self._rendered = (self.body, render_body(self.body))
        return self._rendered[1]

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self) -> bool:
        """Edited noticeably after publication (more than an hour later)."""
        return bool(
            self.published_at
            and (self.updated - self.published_at).total_seconds() > 3600
        )

    @property
    def last_changed(self):
        """The last change a reader could see: an edit, or publication itself
        (a scheduled article may have been saved before it came out)."""
        if self.published_at is None:
            return self.updated
        return max(self.updated, self.published_at)

    @property
    def author_list(self) -> list[Author]:
        """The authors in byline order (from prefetched bylines)."""
        return [byline.author for byline in self.bylines.all()]


def bylines_prefetch() -> Prefetch:
    """An article's bylines with their authors, for `author_list`."""
    return Prefetch("bylines", queryset=Byline.objects.select_related("author"))


class Byline(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"],
                name="news_byline_author_once_per_article",
                violation_error_message="This author is already on the byline.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class PreviewLink(models.Model):
    """A link to a draft or scheduled article for someone without an account
    (a source checking a quote, a distributor under embargo). Only a digest of
    its secret is stored: the address is shown once, when it is made."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="preview_links"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        "for", max_length=200, blank=True, help_text="Whom the link was made for."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("expires")
    revoked = models.BooleanField(
        default=False, help_text="Tick to stop the link working at once."
    )

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"Preview of {self.article} for {self.note or 'anyone with the link'}"

    @property
    def works(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now()
