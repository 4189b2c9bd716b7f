"""Checks before publishing: what an editor should look at once more, shown on
the article's admin page. They are warnings, never errors (the form's own
validation refuses what would break the page); each says what to do, and the
films and people the body names but the article is not tagged with come with
a box to tick that tags them.

The names are found in any spelling the search index knows (titles, original
and alternative titles, names, native-script names and variants): the body's
runs of up to four words, starting with a capital or a non-Latin letter, are
looked up by their spelling-blind keys.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from itertools import batched

from django.utils import timezone

from catalog.models import Film, Person
from search import text as search_text
from search.models import SearchEntry

from . import paste
from .models import Article

NAME_FIELDS = [
    SearchEntry.Field.TITLE,
    SearchEntry.Field.ORIGINAL_TITLE,
    SearchEntry.Field.ALTERNATIVE_TITLE,
    SearchEntry.Field.NAME,
    SearchEntry.Field.NATIVE_NAME,
    SearchEntry.Field.NAME_VARIANT,
]
LONGEST_NAME = 4  # words
SHORTEST_ONE_WORD_KEY = 4  # "Up", "Her": too common a word to suggest
KEYS_PER_QUERY = 500
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
DATE = re.compile(
    r"\b(?:(\d{1,2}) (" + "|".join(MONTHS) + r"),? (\d{4})"
    r"|(" + "|".join(MONTHS) + r") (\d{1,2}),? (\d{4}))\b",
    re.IGNORECASE,
)
FAR = datetime.timedelta(days=90)
# Printed words: letters and digits with the joiners inside them.
PRINTED_WORD = re.compile(r"[^\W_]+(?:[-_’'.][^\W_]+)*")


@dataclass(frozen=True)
class Suggestion:
    """A film or person the body names, not tagged: `value` is the choice."""

    value: str  # "film:12" or "person:5"
    label: str


@dataclass
class Checks:
    warnings: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)


def check(article: Article) -> Checks:
    found = Checks()
    body = article.body or ""
    if not article.standfirst.strip():
        found.warnings.append(
            "There is no standfirst: lists, feeds and link previews show one."
        )
    if article.lead_image_id is None:
        found.warnings.append("There is no lead image.")
    elif not (article.lead_image.alt_text or "").strip():
        found.warnings.append(
            "The lead image has no alt text (it is marked decorative): link "
            "previews and readers of screen readers get none."
        )
    if paste.repeats_headline(body, article.headline):
        found.warnings.append("The body starts with the headline again.")
    if tail := paste.scraped_tail(body):
        found.warnings.append(
            f"The end of the body looks copied from a web page ({tail.reasons[0]}), "
            f"from “{tail.lines[0]}” on."
        )
    for line in paste.credit_lines(body):
        found.warnings.append(f"“{line}” is a picture credit, not part of the text.")
    if warning := far_dates(body, article.published_at):
        found.warnings.append(warning)
    found.suggestions = untagged(article)
    return found


def far_dates(body: str, published_at: datetime.datetime | None) -> str | None:
    """A warning when every full date the text gives is months from when the
    article is published (a date typed wrong, or an old story)."""
    if published_at is None:
        return None
    dates = []
    for match in DATE.finditer(body):
        day, month, year = (
            (match[1], match[2], match[3])
            if match[1]
            else (match[5], match[4], match[6])
        )
        try:
            dates.append(
                datetime.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
            )
        except ValueError:
            continue
    published = timezone.localtime(published_at).date()
    if dates and all(abs(d - published) > FAR for d in dates):
        nearest = min(dates, key=lambda d: abs(d - published))
        return (
            f"The text's dates (the nearest is {nearest:%-d %B %Y}) are months "
            f"from its publication date, {published:%-d %B %Y}."
        )
    return None


def candidate_keys(body: str) -> dict[str, str]:
    """Spelling-blind keys of the body's runs of words that could be a name,
    each with the words as written."""
    found: dict[str, str] = {}
    for paragraph in body.split("\n"):
        printed = PRINTED_WORD.findall(paragraph)
        for start, word in enumerate(printed):
            if not (word[0].isupper() or not word[0].isascii()):
                continue
            for length in range(1, LONGEST_NAME + 1):
                run = printed[start : start + length]
                if len(run) < length:
                    break
                spelling = " ".join(run)
                key = search_text.key(spelling)
                if length == 1 and len(key) < SHORTEST_ONE_WORD_KEY:
                    continue
                found.setdefault(key, spelling)
    return found


def untagged(article: Article) -> list[Suggestion]:
    """The films and people the body names or links to, but the article is
    not tagged with (its reviewed film counts as tagged)."""
    if article.pk is None or not article.body:
        return []
    keys = candidate_keys(article.body)
    films: dict[int, str] = {}
    people: dict[int, str] = {}
    for batch in batched(keys, KEYS_PER_QUERY):
        rows = SearchEntry.objects.filter(
            whole=True, field__in=NAME_FIELDS, key__in=batch
        ).values_list("film_id", "person_id", "key")
        for film_id, person_id, key in rows:
            if film_id:
                films.setdefault(film_id, f"named as “{keys[key]}”")
            elif person_id:
                people.setdefault(person_id, f"named as “{keys[key]}”")
    for film_id in article.linked_films.values_list("pk", flat=True):
        films.setdefault(film_id, "linked in the body")
    for person_id in article.linked_people.values_list("pk", flat=True):
        people.setdefault(person_id, "linked in the body")
    tagged_films = set(article.films.values_list("pk", flat=True))
    tagged_films.add(article.reviewed_film_id)
    tagged_people = set(article.people.values_list("pk", flat=True))
    suggestions = [
        Suggestion(f"film:{film.pk}", f"{film} (film), {films[film.pk]}")
        for film in Film.objects.filter(pk__in=set(films) - tagged_films)
    ]
    suggestions += [
        Suggestion(f"person:{person.pk}", f"{person} (person), {people[person.pk]}")
        for person in Person.objects.filter(pk__in=set(people) - tagged_people)
    ]
    return suggestions
