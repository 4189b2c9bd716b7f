from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q, Value
from django.utils import timezone
from django.utils.text import Truncator

from core.reversing import slug_url
from images.models import Picture


class Genre(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    code = models.CharField(
        "ISO code",
        max_length=2,
        unique=True,
        help_text="Two-letter ISO 3166-1 code, lower case (kr, us).",
    )
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z]{2}$"),
                name="catalog_country_code_two_lowercase_letters",
                violation_error_message="Use two lower-case letters (kr, us).",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(
        "language tag",
        max_length=12,
        unique=True,
        help_text="BCP 47 tag used in the page's lang attribute (ko, en, zh-Hant).",
    )
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Company(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Classification:
    """What kind of film it is and where it comes from, sorted by name."""

    genres: list[Genre]
    countries: list[Country]
    languages: list[Language]
    production_companies: list[Company]


class FilmQuerySet(models.QuerySet):
    def for_listing(self) -> FilmQuerySet:
        """What a film card shows: title, year, kind and genres."""
        return self.select_related("original_language", "poster").prefetch_related(
            "genres"
        )

    def with_details(self) -> FilmQuerySet:
        """The film page's film, with what it shows of its own row; the lists
        on the page come from ``catalog.selectors.film_details()``."""
        return self.select_related("original_language", "distributor", "poster")

    def with_gallery(self) -> FilmQuerySet:
        """The stills page: every still and who is in each."""
        return self.select_related("poster").prefetch_related(
            Prefetch(
                "stills",
                queryset=Still.objects.ready().prefetch_related(
                    Prefetch("people", queryset=Person.objects.order_by("name"))
                ),
            )
        )


class Film(models.Model):
    class Kind(models.TextChoices):
        FEATURE = "feature", "Feature film"
        SHORT = "short", "Short film"
        SERIES = "series", "Series"
        DOCUMENTARY = "documentary", "Documentary"

    class Status(models.TextChoices):
        ANNOUNCED = "announced", "Announced"
        IN_PRODUCTION = "in_production", "In production"
        RELEASED = "released", "Released"

    title = models.CharField(
        max_length=200, help_text="The title as released in English."
    )
    original_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="In its own script, e.g. 정이. Leave empty if it is the title.",
    )
    original_language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The language of the original title, used to mark it up.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.FEATURE)
    status = models.CharField(max_length=20, choices=Status, default=Status.RELEASED)
    release_date = models.DateField(
        null=True, blank=True, help_text="First release anywhere."
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Taken from the release date; set it by hand only without one.",
    )
    runtime = models.PositiveSmallIntegerField(
        "runtime (minutes)", null=True, blank=True
    )
    genres = models.ManyToManyField(Genre, blank=True, related_name="films")
    countries = models.ManyToManyField(Country, blank=True, related_name="films")
    languages = models.ManyToManyField(Language, blank=True, related_name="films")
    synopsis = models.TextField(blank=True)
    production_companies = models.ManyToManyField(
        Company, blank=True, related_name="productions"
    )
    distributor = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distributed_films",
    )
    in_focus = models.BooleanField(
        default=False, help_text="Shown among the films in focus on the home page."
    )
    poster = models.ForeignKey(
        "Still",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="One of the film's stills, shown on its page and its cards.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = FilmQuerySet.as_manager()

    STILLS_STRIP_LENGTH = 8
    # Many-to-many relations to (pk, name, slug or code) tables: see
    # classification().
    CLASSIFICATION = {
        "genres": "slug",
        "countries": "code",
        "languages": "code",
        "production_companies": "slug",
    }

    class Meta:
        ordering = ["-year", "title", "pk"]
        indexes = [
            # The film index's order, read whole once per change to list the
            # pages' keys (core.paginator): SQLite "SCAN catalog_film USING
            # COVERING INDEX catalog_film_listing_order", no sort step;
            # PostgreSQL "Index Only Scan using catalog_film_listing_order".
            models.Index(
                fields=["-year", "title", "id"], name="catalog_film_listing_order"
            ),
            # The home page's films in focus, six of a few: SQLite "SEARCH
            # catalog_film USING INDEX catalog_film_in_focus_order (in_focus=?)",
            # PostgreSQL "Index Scan using catalog_film_in_focus_order", LIMIT 6.
            # (Not a partial index: SQLite matches its condition, in_focus = 1,
            # only to a query's term written the same way, and Django writes
            # in_focus = True.)
            models.Index(
                fields=["in_focus", "-year", "title", "id"],
                name="catalog_film_in_focus_order",
            ),
            # Recent releases: SQLite "SEARCH catalog_film USING INDEX
            # catalog_film_release_order (release_date<?)", PostgreSQL "Index
            # Scan using catalog_film_release_order", then LIMIT 4.
            models.Index(
                fields=["-release_date", "title"], name="catalog_film_release_order"
            ),
            # The sitemap index's latest change, MAX(updated), one step down
            # the index: SQLite "SEARCH catalog_film USING COVERING INDEX
            # catalog_film_updated", PostgreSQL "Index Only Scan Backward".
            models.Index(fields=["updated"], name="catalog_film_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(runtime__isnull=True) | Q(runtime__gt=0),
                name="catalog_film_runtime_positive",
                violation_error_message="The runtime must be at least one minute.",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1870, year__lte=2200),
                name="catalog_film_year_plausible",
                violation_error_message="Give a year between 1870 and 2200.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        if self.release_date:
            self.year = self.release_date.year
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("catalog:film-detail", self.slug)

    def clean(self):
        if self.release_date and self.year and self.year != self.release_date.year:
            raise ValidationError(
                {"year": "The year must match the release date (or be left empty)."}
            )
        if self.runtime == 0:
            raise ValidationError({"runtime": "The runtime must be at least 1 minute."})
        if self.poster_id and self.poster.film_id != self.pk:
            raise ValidationError(
                {"poster": "The poster must be one of this film's stills."}
            )

    def classification(self) -> Classification:
        """Genres, countries, languages and production companies in one query
        (a UNION of the four): the film page shows them all, and four
        prefetches would cost four queries."""
        parts = [
            getattr(self, relation)
            .order_by()
            .annotate(relation=Value(relation))
            .values_list("relation", "pk", "name", key)
            for relation, key in self.CLASSIFICATION.items()
        ]
        found: dict[str, list] = {relation: [] for relation in self.CLASSIFICATION}
        for relation, pk, name, key_value in parts[0].union(*parts[1:], all=True):
            model = self._meta.get_field(relation).related_model
            key = self.CLASSIFICATION[relation]
            found[relation].append(model(pk=pk, name=name, **{key: key_value}))
        return Classification(
            **{
                relation: sorted(objects, key=lambda o: (o.name, o.pk))
                for relation, objects in found.items()
            }
        )


class AlternativeTitle(models.Model):
    class Kind(models.TextChoices):
        STYLISED = "stylised", "Stylised"
        WORKING = "working", "Working title"
        ROMANISED = "romanised", "Romanised"
        REGIONAL = "regional", "Regional"
        SPELLING = "spelling", "Other spelling"

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="alternative_titles"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For regional titles: where the film is known by it.",
    )

    class Meta:
        ordering = ["film", "kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "title"],
                name="catalog_alternativetitle_unique_per_film",
                violation_error_message="This film already has that title.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display().lower()})"


class WatchLink(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="watch_links")
    provider = models.CharField(max_length=100, help_text="For example Netflix.")
    url = models.URLField("address", max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["film", "position", "provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "provider"],
                name="catalog_watchlink_one_per_provider",
                violation_error_message="This film already has a link for that "
                "provider.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.film.title} on {self.provider}"


class PersonQuerySet(models.QuerySet):
    def with_filmography(self) -> PersonQuerySet:
        """The person page's person, with what it shows of its own row; the
        lists on the page come from ``catalog.selectors.person_details()``."""
        return self.select_related("native_name_language", "portrait")


class Person(models.Model):
    name = models.CharField(
        max_length=200, help_text="As credited in English: Kim Hyun-joo."
    )
    native_name = models.CharField(
        "native-script name", max_length=200, blank=True, help_text="김현주"
    )
    native_name_language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The language of the native-script name, used to mark it up.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    birth_date = models.DateField(null=True, blank=True)
    death_date = models.DateField(null=True, blank=True)
    birthplace = models.CharField(max_length=200, blank=True)
    biography = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    STILLS_SHOWN = 12

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "people"
        indexes = [
            # The people index's order (core.paginator reads it whole once per
            # change): SQLite "SCAN catalog_person USING COVERING INDEX
            # catalog_person_listing_order", PostgreSQL "Index Only Scan using
            # catalog_person_listing_order", no sort.
            models.Index(fields=["name", "id"], name="catalog_person_listing_order"),
            models.Index(fields=["updated"], name="catalog_person_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True)
                | Q(death_date__isnull=True)
                | Q(death_date__gte=models.F("birth_date")),
                name="catalog_person_death_not_before_birth",
                violation_error_message="The date of death is before the birth date.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("catalog:person-detail", self.slug)

    def clean(self):
        if self.birth_date and self.death_date and self.death_date < self.birth_date:
            raise ValidationError(
                {"death_date": "The date of death is before the birth date."}
            )

    @property
    def age(self) -> int | None:
        """Age in whole years: at death, or today for the living."""
        if not self.birth_date:
            return None
        end = self.death_date or timezone.localdate()
        return completed_years(self.birth_date, end)


def completed_years(start: datetime.date, end: datetime.date) -> int:
    before_birthday = (end.month, end.day) < (start.month, start.day)
    return end.year - start.year - before_birthday


class PersonNameVariant(models.Model):
    class Kind(models.TextChoices):
        ROMANISATION = "romanisation", "Other romanisation"
        SPELLING = "spelling", "Other spelling"
        BIRTH_NAME = "birth_name", "Birth name"
        STAGE_NAME = "stage_name", "Stage name"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="name_variants"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.ROMANISATION)

    class Meta:
        ordering = ["person", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"],
                name="catalog_personnamevariant_unique_per_person",
                violation_error_message="This person already has that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.TextChoices):
    """Departments in the order a film page lists them."""

    DIRECTING = "directing", "Directing"
    WRITING = "writing", "Writing"
    CAST = "cast", "Cast"
    PRODUCTION = "production", "Production"
    CINEMATOGRAPHY = "cinematography", "Cinematography"
    EDITING = "editing", "Editing"
    MUSIC = "music", "Music"
    SOUND = "sound", "Sound"
    ART = "art", "Production design"
    COSTUME = "costume", "Costume and make-up"
    VISUAL_EFFECTS = "visual_effects", "Visual effects"
    CREW = "crew", "Other crew"


class Credit(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    department = models.CharField(max_length=20, choices=Department)
    job = models.CharField(
        max_length=100, blank=True, help_text="Director, Screenplay, Producer…"
    )
    character = models.CharField(
        max_length=200, blank=True, help_text="Cast credits only."
    )
    billing_order = models.PositiveSmallIntegerField(
        default=0, help_text="On-screen order; lower comes first."
    )

    class Meta:
        ordering = ["film", "billing_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department=Department.CAST) | Q(character=""),
                name="catalog_credit_character_only_for_cast",
                violation_error_message="Only cast credits name a character.",
            ),
            models.UniqueConstraint(
                fields=["film", "person", "department", "job", "character"],
                name="catalog_credit_no_duplicate",
                violation_error_message="This person already has this credit on "
                "this film.",
            ),
        ]

    def __str__(self) -> str:
        if self.department == Department.CAST:
            role = f" as {self.character}" if self.character else ""
            return f"{self.person.name}{role} in {self.film.title}"
        job = self.job or self.get_department_display()
        return f"{self.person.name}, {job} of {self.film.title}"

    def clean(self):
        if self.character and self.department != Department.CAST:
            raise ValidationError({"character": "Only cast credits name a character."})

    @property
    def role(self) -> str:
        """What the credit says the person did: a character, a job or a department."""
        if self.department == Department.CAST:
            return self.character
        return self.job or self.get_department_display()


class Still(Picture):
    """An image of a film: a production still, a poster, a behind-the-scenes shot.

    The same still can be the film's poster and lead a news article, with one
    caption and one credit line wherever it appears.
    """

    class Kind(models.TextChoices):
        PRODUCTION = "production", "Production still"
        POSTER = "poster", "Poster"
        BEHIND_THE_SCENES = "behind_the_scenes", "Behind the scenes"
        PROMOTIONAL = "promotional", "Promotional image"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="stills")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PRODUCTION)
    caption = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown under the picture: who and what, in a sentence.",
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="stills",
        help_text="Who can be seen in it; the still then shows on their page.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the gallery; lower comes first."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta(Picture.Meta):
        ordering = ["film", "position", "pk"]

    def __str__(self) -> str:
        description = self.caption or self.alt_text or self.get_kind_display()
        return f"{self.film.title}: {Truncator(description).chars(60)}"

    def get_absolute_url(self) -> str:
        return f"{slug_url('catalog:film-stills', self.film.slug)}#still-{self.pk}"


class Portrait(Picture):
    """A person's picture on their page and beside their credits."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="portrait"
    )

    class Meta(Picture.Meta):
        ordering = ["person"]

    def __str__(self) -> str:
        return f"Portrait of {self.person.name}"


def https_only(value: str) -> None:
    if not value.lower().startswith("https://"):
        raise ValidationError("Give an https:// address.", code="insecure")


class Video(models.Model):
    """A trailer or teaser, hosted by a video provider and linked to, never
    embedded: the film page loads nothing from the provider."""

    class Kind(models.TextChoices):
        TRAILER = "trailer", "Trailer"
        TEASER = "teaser", "Teaser"
        CLIP = "clip", "Clip"
        FEATURETTE = "featurette", "Featurette"

    PROVIDERS = {
        "youtube.com": "YouTube",
        "youtu.be": "YouTube",
        "vimeo.com": "Vimeo",
        "netflix.com": "Netflix",
        "dailymotion.com": "Dailymotion",
    }

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="videos")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.TRAILER)
    title = models.CharField(max_length=200, help_text="Official teaser trailer")
    url = models.URLField(
        "address",
        max_length=500,
        validators=[https_only],
        help_text="The video's page at its provider (YouTube, Vimeo, Netflix…).",
    )
    published_on = models.DateField(
        "published", null=True, blank=True, help_text="When the provider released it."
    )
    thumbnail = models.ForeignKey(
        Still,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="One of the film's stills; the poster is used without one.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["film", "position", "-published_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "url"],
                name="catalog_video_unique_per_film",
                violation_error_message="This film already has that video.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.film.title}: {self.title}"

    def clean(self):
        if self.thumbnail_id and self.thumbnail.film_id != self.film_id:
            raise ValidationError(
                {"thumbnail": "The thumbnail must be one of this film's stills."}
            )

    @property
    def provider(self) -> str:
        host = (urlsplit(self.url).hostname or "").lower()
        for domain, name in self.PROVIDERS.items():
            if host == domain or host.endswith("." + domain):
                return name
        return host.removeprefix("www.")

    @property
    def picture(self) -> Still | None:
        """What the facade shows: the chosen thumbnail, else the poster (the
        first of them whose renditions are ready)."""
        for still in (self.thumbnail, self.film.poster):
            if still is not None and still.is_ready:
                return still
        return None
