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

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .generation import memo

# Pages per memoised chunk of primary keys: 50 pages of 48 people is 2,400
# keys, about 12 kB in the cache.
CHUNK_PAGES = 50


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
    def count(self) -> int:
        return memo(f"{self.key}:count", self._boundaries)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.count:
            return self._get_page(self.object_list.none(), number, self)
        chunk, index = divmod(number - 1, CHUNK_PAGES)
        pages = memo(f"{self.key}:chunk:{chunk}", lambda: self._boundaries(chunk))
        keys = pages[index] if index < len(pages) else []
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)

    def _boundaries(self, wanted: int | None = None):
        """Read the primary keys of the whole list in its order, memoise each
        chunk of pages and the count; return the count, or chunk `wanted`."""
        keys = list(self.object_list.values_list("pk", flat=True))
        per_page, span = self.per_page, self.per_page * CHUNK_PAGES
        chunks = [
            [
                keys[at : at + per_page]
                for at in range(start, min(start + span, len(keys)), per_page)
            ]
            for start in range(0, len(keys), span)
        ]
        for number, pages in enumerate(chunks):
            memo(f"{self.key}:chunk:{number}", lambda pages=pages: pages)
        memo(f"{self.key}:count", lambda: len(keys))
        if wanted is None:
            return len(keys)
        return chunks[wanted] if wanted < len(chunks) else []


class MemoPaginationMixin:
    """For ListViews: paginate with MemoPaginator under the view's
    `pagination_key()`, which names the list shown (its filters included)."""

    def pagination_key(self) -> str:
        raise NotImplementedError

    def get_paginator(self, queryset, per_page, orphans=0, **kwargs):
        return MemoPaginator(
            queryset, per_page, key=self.pagination_key(), orphans=orphans, **kwargs
        )
