"""Pagination whose cost does not grow with the list.

Django's Paginator counts the whole list (COUNT(*)) and reads page N with
OFFSET, which walks every row before it: the last page of 300,000 people costs
as much as reading them all. Here both come from `core.generation.memo`, once
per change to the content: the count, and the primary keys of every page in
the list's own order, read in one pass by the database (so NULLs and text
collation are the database's, as they are on the page), kept in chunks of
CHUNK_PAGES pages so that a request loads one small value. Page N is then one
query by primary key, whatever N is, and `?page=N` shows exactly what OFFSET
would have shown.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .generation import memo, store

# Pages per memoised chunk of primary keys: 50 pages of 48 people is 2,400
# keys, about 12 kB in the cache.
CHUNK_PAGES = 50
# How long memoised values stay when the content does not change.
TIMEOUT = 24 * 3600


def list_key(*parts: object) -> str:
    """A short memo key naming a list (a model, its filter, its page size)."""
    text = repr(parts)
    return "list:" + hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


class MemoPaginator(Paginator):
    """A Paginator over a queryset whose count and page boundaries are
    memoised under `key`, which must name the queryset's rows and order (the
    per-page size is added here)."""

    def __init__(self, object_list: QuerySet, per_page: int, *, key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if self.orphans:
            raise ValueError("MemoPaginator pages are all per_page long: no orphans.")
        self.key = f"{key}:{self.per_page}"

    @cached_property
    def build(self) -> tuple[str | None, int]:
        """The id under which this generation's page keys are stored, and
        the count."""
        return memo(f"{self.key}:build", self._build, TIMEOUT)

    @cached_property
    def count(self) -> int:
        return self.build[1]

    def page(self, number) -> Page:
        number = self.validate_number(number)
        build, count = self.build
        if not count:
            return self._get_page(self.object_list.none(), number, self)
        chunk, index = divmod(number - 1, CHUNK_PAGES)
        pages = None if build is None else store().call("get", chunk_key(build, chunk))
        if pages is None:  # no shared cache, or the chunk was evicted
            start = (number - 1) * self.per_page
            found = self.object_list.values_list("pk", flat=True)
            keys = list(found[start : start + self.per_page])
        else:
            keys = pages[index] if index < len(pages) else []
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)

    def _build(self) -> tuple[str | None, int]:
        """Read the primary keys of the whole list in its order and store them
        in chunks of pages under a new build id. The chunks are stored under
        the build, not the generation: memo() keeps the build under the
        generation it read before this ran, so a change made meanwhile never
        leaves pages from before it in force."""
        if not store().available:
            return None, self.object_list.count()
        keys = list(self.object_list.values_list("pk", flat=True))
        build = uuid.uuid4().hex
        per_page, span = self.per_page, self.per_page * CHUNK_PAGES
        chunks = {
            chunk_key(build, number): [
                keys[at : at + per_page]
                for at in range(start, min(start + span, len(keys)), per_page)
            ]
            for number, start in enumerate(range(0, len(keys), span))
        }
        store().call("set_many", chunks, TIMEOUT)
        return build, len(keys)


def chunk_key(build: str, chunk: int) -> str:
    return f"list-pages:{build}:{chunk}"


class MemoPaginationMixin:
    """For ListViews: paginate with MemoPaginator under the view's
    `pagination_key()`, which names the list shown (its filters included)."""

    def pagination_key(self) -> str:
        raise NotImplementedError

    def get_paginator(self, queryset, per_page, orphans=0, **kwargs):
        return MemoPaginator(
            queryset, per_page, key=self.pagination_key(), orphans=orphans, **kwargs
        )
