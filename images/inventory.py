"""What media storage holds and what the picture rows say it should hold.

Shared by `media_orphans` (files no row points to), `media_check` (rows whose
files are gone) and the backups (which files a database snapshot needs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import Storage

from . import files
from .models import Picture


def picture_models() -> list[type[Picture]]:
    """Every concrete model that stores pictures: stills, portraits…"""
    return [model for model in apps.get_models() if issubclass(model, Picture)]


def referenced_names() -> set[str]:
    """Every file name some picture row points to: masters and renditions."""
    names: set[str] = set()
    for model in picture_models():
        for name, renditions in model._base_manager.values_list(
            "image", "renditions"
        ).iterator():
            names.update(files.names_of(name, renditions))
    return names


def referenced_names_sql(cursor) -> set[str]:
    """The same as referenced_names(), read with plain SQL through a DB-API
    cursor: for a database snapshot that Django's connection does not see."""
    names: set[str] = set()
    for model in picture_models():
        image = model._meta.get_field("image").column
        renditions = model._meta.get_field("renditions").column
        cursor.execute(
            f'SELECT "{image}", "{renditions}" FROM "{model._meta.db_table}"'
        )
        for name, stored in cursor.fetchall():
            if isinstance(stored, str | bytes):
                stored = json.loads(stored)
            names.update(files.names_of(name, stored or []))
    return names


def stored_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file in storage, through the storage API (a file system or a
    bucket alike); nothing when the media root does not exist yet."""
    try:
        directories, filenames = storage.listdir(directory)
    except FileNotFoundError:
        return
    for filename in filenames:
        yield f"{directory}/{filename}" if directory else filename
    for sub in directories:
        yield from stored_names(storage, f"{directory}/{sub}" if directory else sub)


@dataclass(frozen=True)
class MissingFile:
    """A file a picture row names that storage does not hold."""

    model: str  # "catalog.Still"
    pk: int
    name: str

    def __str__(self) -> str:
        return f"{self.model} {self.pk}: {self.name}"


def missing_files(stored: Iterable[str]) -> list[MissingFile]:
    """The files named by picture rows (the master and each rendition the row
    lists) that are not among `stored`, model by model, in pk order."""
    present = set(stored)
    missing = []
    for model in picture_models():
        rows = model._base_manager.order_by("pk").values_list(
            "pk", "image", "renditions"
        )
        for pk, name, renditions in rows.iterator():
            missing.extend(
                MissingFile(model._meta.label, pk, file_name)
                for file_name in files.names_of(name, renditions)
                if file_name not in present
            )
    return missing
