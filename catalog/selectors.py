"""What the film and person pages list, for one film or one person.

``prefetch_related()`` is made for lists of objects: for each relation it
builds a related manager and a queryset per object and filters on a list of
them. For the single film of a film page, one plain query per list does the
same work at half the cost, and says what the page loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Window

from .models import (
    AlternativeTitle,
    Classification,
    Credit,
    Department,
    Film,
    Person,
    PersonNameVariant,
    Still,
    Video,
    WatchLink,
)


@dataclass
class FilmDetails:
    """A film's lists, as its page shows them."""

    classification: Classification
    alternative_titles: list[AlternativeTitle]
    watch_links: list[WatchLink]
    credits: list[Credit]
    stills_strip: list[Still]
    still_count: int
    videos: list[Video]

    def _credits_in(self, department: str) -> list[Credit]:
        return [c for c in self.credits if c.department == department]

    @cached_property
    def directors(self) -> list[Credit]:
        return self._credits_in(Department.DIRECTING)

    @cached_property
    def writers(self) -> list[Credit]:
        return self._credits_in(Department.WRITING)

    @cached_property
    def cast(self) -> list[Credit]:
        return self._credits_in(Department.CAST)

    @cached_property
    def crew_groups(self) -> list[tuple[str, list[Credit]]]:
        """Non-cast credits grouped by department, in the departments' order."""
        groups = []
        for department in Department:
            if department != Department.CAST:
                credits = self._credits_in(department)
                if credits:
                    groups.append((department.label, credits))
        return groups


def film_details(film: Film) -> FilmDetails:
    """Everything the film page lists, in six queries whatever their length.

    The queries go through the film's related managers, so each object knows
    its film without asking (a still's address, a video's poster fallback).
    Orders are given in full: the models' default orders start with the film,
    which would join the film table to sort rows of one film.
    """
    # The first stills of the strip, each with the count of all the ready ones
    # (a window over the whole set, counted before the limit).
    stills = list(
        film.stills.ready()
        .annotate(ready_count=Window(Count("pk")))
        .order_by("position", "pk")[: Film.STILLS_STRIP_LENGTH]
    )
    return FilmDetails(
        classification=film.classification(),
        alternative_titles=list(
            film.alternative_titles.select_related("country").order_by("kind", "title")
        ),
        watch_links=list(film.watch_links.order_by("position", "provider")),
        credits=list(
            film.credits.select_related("person__portrait").order_by(
                "billing_order", "pk"
            )
        ),
        stills_strip=stills,
        still_count=stills[0].ready_count if stills else 0,
        videos=list(
            film.videos.select_related("thumbnail").order_by(
                "position", "-published_on", "pk"
            )
        ),
    )


@dataclass
class PersonDetails:
    """A person's lists, as their page shows them."""

    name_variants: list[PersonNameVariant]
    credits: list[Credit]
    stills: list[Still]

    @cached_property
    def filmography(self) -> list[tuple[str, list[Credit]]]:
        """Credits by department, busiest department first, and the newest
        film first within each (films without a year lead: they are
        upcoming)."""
        by_department: dict[str, list[Credit]] = {}
        for credit in self.credits:
            by_department.setdefault(credit.department, []).append(credit)
        order = list(Department.values)
        departments = sorted(
            by_department, key=lambda d: (-len(by_department[d]), order.index(d))
        )
        return [
            (
                Department(department).label,
                sorted(
                    by_department[department],
                    key=lambda c: (-(c.film.year or 9999), c.film.title, c.pk),
                ),
            )
            for department in departments
        ]


def person_details(person: Person) -> PersonDetails:
    """Everything the person page lists, in three queries whatever their
    length: name variants, credits with their films, and the latest stills the
    person is in (up to Person.STILLS_SHOWN)."""
    return PersonDetails(
        name_variants=list(person.name_variants.order_by("name")),
        credits=list(person.credits.select_related("film").order_by("pk")),
        stills=list(
            Still.objects.ready()
            .filter(people=person)
            .select_related("film")
            .order_by("-film__year", "film__title", "position", "pk")[
                : Person.STILLS_SHOWN
            ]
        ),
    )
