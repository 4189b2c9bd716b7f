"""Writes to the search index. Entries are derived from the catalog and the
magazine and rewritten whole for the film, person, credit or article that
changed; `rebuild()` writes everything again from scratch."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from itertools import batched

from django.apps import apps as global_apps
from django.db import transaction

from . import text
from .models import ArticleDocument, SearchEntry

BATCH_SIZE = 2000


# Field values are spelled out rather than taken from SearchEntry.Field so
# that a migration's historical model (which has no such class) works too.


def _spelling_number(owner: dict, field: str, spelling: str) -> int:
    """A number naming one spelling of one film, person or credit, so that
    its entries can be found together (a signed 64-bit integer)."""
    name = f"{sorted(owner.items())}{field}{spelling}".encode()
    digest = hashlib.blake2b(name, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _entries(entry_model, owner: dict, field: str, spelling: str) -> Iterator:
    number = _spelling_number(owner, field, spelling)
    for position, suffix in enumerate(text.suffix_keys(spelling)):
        yield entry_model(
            **owner,
            field=field,
            spelling=number,
            text=spelling[:200],
            whole=position == 0,
            key=suffix[:200],
            folded=text.fold(suffix)[:200],
        )


def _owner_entries(entry_model, owner: dict, spellings: list[tuple[str, str]]):
    """The entries of a film's or a person's spellings, (field, text) each."""
    return [
        row
        for field, spelling in spellings
        if spelling
        for row in _entries(entry_model, owner, field, spelling)
    ]


def film_entries(entry_model, film, alternative_titles: Iterable[str]) -> list:
    return _owner_entries(
        entry_model,
        {"film_id": film.pk},
        [
            ("title", film.title),
            ("original_title", film.original_title),
            *(("alternative_title", title) for title in alternative_titles),
        ],
    )


def person_entries(entry_model, person, variants: Iterable[str]) -> list:
    return _owner_entries(
        entry_model,
        {"person_id": person.pk},
        [
            ("name", person.name),
            ("native_name", person.native_name),
            *(("name_variant", name) for name in variants),
        ],
    )


def credit_entries(entry_model, credit) -> list:
    """A character: it leads to the actor and to the film."""
    if not credit.character:
        return []
    owner = {
        "film_id": credit.film_id,
        "person_id": credit.person_id,
        "credit_id": credit.pk,
    }
    return list(_entries(entry_model, owner, "character", credit.character))


def article_document(article) -> str:
    return text.document(article.headline, article.standfirst, article.body)


@transaction.atomic
def index_film(film) -> None:
    """Rewrite the entries of a film's titles (the film as just saved)."""
    SearchEntry.objects.filter(film_id=film.pk, credit__isnull=True).delete()
    titles = film.alternative_titles.values_list("title", flat=True)
    SearchEntry.objects.bulk_create(film_entries(SearchEntry, film, titles))


@transaction.atomic
def index_person(person) -> None:
    """Rewrite the entries of a person's names (the person as just saved)."""
    SearchEntry.objects.filter(person_id=person.pk, credit__isnull=True).delete()
    variants = person.name_variants.values_list("name", flat=True)
    SearchEntry.objects.bulk_create(person_entries(SearchEntry, person, variants))


@transaction.atomic
def index_credit(credit) -> None:
    """Rewrite the entries of a credit's character (the credit as just saved)."""
    SearchEntry.objects.filter(credit_id=credit.pk).delete()
    SearchEntry.objects.bulk_create(credit_entries(SearchEntry, credit))


def forget(**spelling) -> None:
    """Remove the entries of one spelling (a deleted variant or title)."""
    SearchEntry.objects.filter(credit__isnull=True, **spelling).delete()


def index_article(article) -> None:
    ArticleDocument.objects.update_or_create(
        article_id=article.pk, defaults={"document": article_document(article)}
    )


def rebuild(apps=global_apps, progress=None) -> int:
    """Write the whole index again; return the number of catalog entries.
    `apps` lets a data migration pass its historical models; `progress` is
    called with the number of films, people or credits done in each step."""
    Film = apps.get_model("catalog", "Film")
    AlternativeTitle = apps.get_model("catalog", "AlternativeTitle")
    Person = apps.get_model("catalog", "Person")
    PersonNameVariant = apps.get_model("catalog", "PersonNameVariant")
    Credit = apps.get_model("catalog", "Credit")
    Article = apps.get_model("news", "Article")
    SearchEntry = apps.get_model("search", "SearchEntry")
    ArticleDocument = apps.get_model("search", "ArticleDocument")

    def owners(model, name_model, name_field: str, owner_field: str, make_entries):
        """Entries of every film or person with its other names, a batch of
        owners and one query for their names at a time."""
        for batch in batched(
            model.objects.order_by("pk").iterator(BATCH_SIZE), BATCH_SIZE
        ):
            names: dict[int, list[str]] = {}
            for owner_id, name in name_model.objects.filter(
                **{f"{owner_field}__in": [owner.pk for owner in batch]}
            ).values_list(f"{owner_field}_id", name_field):
                names.setdefault(owner_id, []).append(name)
            for owner in batch:
                yield from make_entries(SearchEntry, owner, names.get(owner.pk, []))
            if progress:
                progress(len(batch))

    def characters() -> Iterator:
        credits = Credit.objects.exclude(character="").order_by("pk")
        for batch in batched(credits.iterator(BATCH_SIZE), BATCH_SIZE):
            for credit in batch:
                yield from credit_entries(SearchEntry, credit)
            if progress:
                progress(len(batch))

    count = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for rows in (
            owners(Film, AlternativeTitle, "title", "film", film_entries),
            owners(Person, PersonNameVariant, "name", "person", person_entries),
            characters(),
        ):
            for batch in batched(rows, BATCH_SIZE):
                SearchEntry.objects.bulk_create(batch)
                count += len(batch)
        ArticleDocument.objects.all().delete()
        for batch in batched(
            Article.objects.order_by("pk").iterator(BATCH_SIZE), BATCH_SIZE
        ):
            ArticleDocument.objects.bulk_create(
                ArticleDocument(
                    article_id=article.pk, document=article_document(article)
                )
                for article in batch
            )
    return count
