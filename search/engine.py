"""The search contract: what a query finds, in what order, and why.

One query reads the matching spellings of films and people (titles, names,
variants, characters), or, when none matches, a second looks for near
spellings (PostgreSQL); then one query loads the films and one the people;
articles come from a full-text index plus the articles about what was found.
The database-specific parts live in search.backends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from catalog.models import Film, Person
from news.models import Article, ArticleQuerySet

from . import text
from .backends import get_backend
from .models import SearchEntry

Field = SearchEntry.Field

# Ranks, best first.
EXACT, EXACT_VARIANT, STARTS, WORD_STARTS, ANY_ORDER, SIMILAR = range(6)
MAIN_FIELDS = {Field.TITLE, Field.ORIGINAL_TITLE, Field.NAME, Field.NATIVE_NAME}
# Rows each way of matching may contribute: enough for the cards shown however
# common the query, and a bounded cost whatever the size of the catalog.
ROWS_PER_BRANCH = 100
# Romanisation folding on a shorter query would match most of the catalog.
FOLD_MIN_LENGTH = 4
COLUMNS = ("film_id", "person_id", "field", "text", "whole", "key", "folded")


@dataclass
class Match:
    """A film or a person found, and the spelling that found it."""

    kind: str  # "film" or "person"
    field: str
    text: str
    rank: int
    film_id: int | None
    person_id: int | None
    film: Film | None = None
    person: Person | None = None

    @property
    def matched(self) -> str:
        """What matched, in words, when it is not the name on the card."""
        if self.field == Field.CHARACTER:
            if self.kind == "person" and self.film:
                return f"as {self.text} in {self.film.title}"
            if self.kind == "film" and self.person:
                return f"{self.text}, played by {self.person.name}"
        if self.field in (Field.ALTERNATIVE_TITLE, Field.NAME_VARIANT):
            return f"also known as {self.text}"
        return ""


@dataclass
class CatalogResults:
    films: list[Match] = field(default_factory=list)
    people: list[Match] = field(default_factory=list)
    more_films: bool = False
    more_people: bool = False

    @property
    def film_ids(self) -> list[int]:
        return [match.film.pk for match in self.films]

    @property
    def person_ids(self) -> list[int]:
        return [match.person.pk for match in self.people]


def _branches(query: str) -> list[tuple[str, QuerySet]]:
    """The ways a spelling can match, each an index scan with its own limit."""
    backend = get_backend()
    query_key = text.query_key(query)
    if not query_key:
        return []
    entries = SearchEntry.objects.values(*COLUMNS)
    starts = backend.prefix("key", query_key)
    branches = [
        # The whole title or name starts with the query (or is it).
        ("whole", entries.filter(starts, whole=True).order_by("key")),
        # A later word does: "busan" in Train to Busan.
        ("word", entries.filter(starts, whole=False).order_by("key")),
    ]
    query_folded = text.fold(query_key)
    if len(query_folded) >= FOLD_MIN_LENGTH:
        # Another romanisation: "seo-hyeon" for Seo-hyun, "ryoo kyungsoo"
        # for Ryu Kyung-soo.
        branches.append(
            (
                "folded",
                entries.filter(backend.prefix("folded", query_folded)).order_by(
                    "folded"
                ),
            )
        )
    printed = text.printed_words(query)
    if len(printed) > 1:
        # Every word starts a word of the same spelling, in any order. The
        # longest (so the rarest, as a rule) drives the scan; the others are
        # looked up within each spelling it finds.
        driver, *others = sorted(printed, key=len, reverse=True)
        # whole__in names both halves of the (whole, key) index, so that it
        # serves these key ranges too.
        both_halves = [True, False]
        same_spelling = [
            Exists(
                SearchEntry.objects.filter(
                    backend.prefix("key", word),
                    spelling=OuterRef("spelling"),
                    whole__in=both_halves,
                )
            )
            for word in others
        ]
        branches.append(
            (
                "any_order",
                entries.filter(
                    backend.prefix("key", driver), *same_spelling, whole__in=both_halves
                ).order_by("key"),
            )
        )
    return branches


def _similar_branches(query: str) -> list[tuple[str, QuerySet]]:
    """Near spellings (a slipped letter), where the database can find them."""
    query_key = text.query_key(query)
    entries = SearchEntry.objects.values(*COLUMNS)
    similar = get_backend().similar_spellings(entries, query_key) if query_key else None
    return [] if similar is None else [("similar", similar)]


def spellings_sql(query: str, similar: bool = False) -> tuple[str, list]:
    """One statement for all branches (or for the near spellings). SQLite
    refuses LIMIT inside the members of a UNION, so each member is wrapped
    as a subquery."""
    branches = _similar_branches(query) if similar else _branches(query)
    parts, params = [], []
    for index, (name, queryset) in enumerate(branches):
        queryset = queryset.annotate(branch=Value(name))[:ROWS_PER_BRANCH]
        sql, member_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS branch_{index}")
        params.extend(member_params)
    return " UNION ALL ".join(parts), params


def _rank(row: dict, query_key: str) -> int:
    branch = row["branch"]
    if branch == "whole":
        if row["key"] == query_key:
            return EXACT if row["field"] in MAIN_FIELDS else EXACT_VARIANT
        return STARTS
    if branch == "folded":
        return STARTS if row["whole"] else WORD_STARTS
    return {"word": WORD_STARTS, "any_order": ANY_ORDER, "similar": SIMILAR}[branch]


def _fetch(sql: str, params: list) -> list[dict]:
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _ranked_spellings(query: str) -> list[dict]:
    """Matching spellings, each once with its best rank, best first: within
    a rank, names and titles before variants, short spellings first. Near
    spellings are looked for only when nothing matches as typed: they would
    rank last anyway, and the similarity search is the costly one."""
    rows = _fetch(*spellings_sql(query))
    if not rows:
        rows = _fetch(*spellings_sql(query, similar=True))
    query_key = text.query_key(query)
    best: dict[tuple, dict] = {}
    for row in rows:
        row["rank"] = _rank(row, query_key)
        spelling = (row["film_id"], row["person_id"], row["field"], row["text"])
        if spelling not in best or row["rank"] < best[spelling]["rank"]:
            best[spelling] = row
    return sorted(
        best.values(),
        key=lambda row: (
            row["rank"],
            row["field"] not in MAIN_FIELDS,
            len(row["text"]),
            row["text"],
            row["film_id"] or 0,
            row["person_id"] or 0,
        ),
    )


def _match(row: dict, kind: str) -> Match:
    return Match(
        kind=kind,
        field=row["field"],
        text=row["text"],
        rank=row["rank"],
        film_id=row["film_id"],
        person_id=row["person_id"],
    )


def _best_matches(rows: list[dict]) -> tuple[list[Match], list[Match]]:
    """The best spelling of each film and of each person, in rank order. A
    character finds both the actor and the film."""
    films: dict[int, Match] = {}
    people: dict[int, Match] = {}
    for row in rows:
        if row["film_id"] is not None and row["film_id"] not in films:
            films[row["film_id"]] = _match(row, "film")
        if row["person_id"] is not None and row["person_id"] not in people:
            people[row["person_id"]] = _match(row, "person")
    return list(films.values()), list(people.values())


def _attach(
    matches: list[Match], films: QuerySet[Film], people: QuerySet[Person]
) -> list[Match]:
    """Give each match its film and person (one query each); drop a match
    whose own film or person was deleted since the index was read."""
    films = films.in_bulk({match.film_id for match in matches if match.film_id})
    people = people.in_bulk({match.person_id for match in matches if match.person_id})
    for match in matches:
        match.film = films.get(match.film_id)
        match.person = people.get(match.person_id)
    return [
        match
        for match in matches
        if (match.film if match.kind == "film" else match.person) is not None
    ]


def search_catalog(query: str, limit: int = 10) -> CatalogResults:
    """Films and people matching the query, best first, at most `limit` each."""
    films, people = _best_matches(_ranked_spellings(query))
    shown_films = films[:limit]
    shown_people = people[:limit]
    # Characters name the other side (the film of an actor found by a role),
    # so it is loaded in the same query as the films shown.
    shown = _attach(
        shown_films + shown_people,
        Film.objects.for_listing(),
        Person.objects.select_related("native_name_language"),
    )
    return CatalogResults(
        films=[match for match in shown if match.kind == "film"],
        people=[match for match in shown if match.kind == "person"],
        more_films=len(films) > limit,
        more_people=len(people) > limit,
    )


def suggest(query: str, limit: int = 8) -> list[Match]:
    """The best films and people for a query, mixed in rank order."""
    films, people = _best_matches(_ranked_spellings(query))
    # A stable sort: matches of one rank keep the query's order (main names
    # and short spellings first), films before people only on a full tie.
    ranked = sorted([*films, *people], key=lambda match: match.rank)[:limit]
    return _attach(
        ranked,
        Film.objects.only("title", "slug", "year"),
        Person.objects.only("name", "slug"),
    )


def matching_articles(query: str, catalog: CatalogResults) -> ArticleQuerySet:
    """Published articles whose text has every word of the query (each word
    may be the start of a longer one), or that are about a film or person
    found; newest first."""
    conditions = []
    terms = text.query_terms(query)
    if terms:
        conditions.append(Q(pk__in=get_backend().articles_matching(terms)))
    # Each way of matching is a subquery of article ids of its own, rather
    # than joins to the links: joins under an OR made PostgreSQL join every
    # article to its links before it could filter ("torm", 5,000 articles):
    #   before: Hash Semi Join <- Hash Left Join (news_article x
    #     news_article_films x news_article_people, Filter: hashed SubPlan
    #     OR ...); count 80.7 ms, first page 45.5 ms
    #   after:  Seq Scan on news_article, Filter: (hashed SubPlan 1) OR
    #     (hashed SubPlan 2) OR ...; count 9.4 ms, first page 6.0 ms (with
    #     the tsvectors in line, migration 0006)
    if catalog.films:
        about_films = Article.films.through.objects.filter(film__in=catalog.film_ids)
        conditions.append(
            Q(pk__in=about_films.values("article_id"))
            | Q(reviewed_film__in=catalog.film_ids)
        )
    if catalog.people:
        about_people = Article.people.through.objects.filter(
            person__in=catalog.person_ids
        )
        conditions.append(Q(pk__in=about_people.values("article_id")))
    articles = Article.objects.published().for_listing()
    if not conditions:
        return articles.none()
    # No join, so each article is there once.
    return articles.filter(reduce(or_, conditions))
