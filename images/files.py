"""Where an image's files live in storage, and writing and removing them.

Each image gets a directory named by a random key; nothing the editor typed (not
even the uploaded file's name) reaches a path::

    images/3f/3f2a…c9/upload.jpg     the upload as sent, while it waits
    images/3f/3f2a…c9/original.jpg   the normalised master
    images/3f/3f2a…c9/640.webp       a rendition, 640 pixels wide
    images/3f/3f2a…c9/640.jpg        its JPEG fallback

A new image means a new key, so rendition URLs never change their content and can
be cached for a year. An upload waits under its key until a background task
writes the master and renditions beside it (always under the same names, so a
run that was killed half-way is simply overwritten by the next) and removes it.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.db import connection, transaction

from .processing import ProcessedImage

logger = logging.getLogger(__name__)

# Files written inside a transaction that has not committed yet, per thread: if
# it rolls back (a save that failed after its pictures were stored, a slug
# taken a moment ago), its commit callbacks never run and nothing else would
# remove them.
_uncommitted = threading.local()

ROOT = "images"
RENDITION_FORMATS = ("webp", "jpg")


def _new_folder() -> str:
    key = uuid.uuid4().hex
    return f"{ROOT}/{key[:2]}/{key}"


def new_master_name(extension: str) -> str:
    return f"{_new_folder()}/original{extension}"


def new_upload_name(extension: str) -> str:
    return f"{_new_folder()}/upload{extension}"


def is_upload(name: str) -> bool:
    """Whether a stored name is an upload waiting for its renditions."""
    return PurePosixPath(name).stem == "upload"


def master_name_beside(upload_name: str, extension: str) -> str:
    return str(PurePosixPath(upload_name).with_name(f"original{extension}"))


def rendition_file_name(width: int, fmt: str) -> str:
    """The file name of a rendition, in its image's folder: "640.webp"."""
    return f"{width}.{fmt}"


def rendition_name(master_name: str, width: int, fmt: str) -> str:
    """The rendition's name beside its master: ".../<key>/640.webp". Plain
    string work, as it runs for every rendition of every picture shown."""
    folder = master_name.rpartition("/")[0]
    file_name = rendition_file_name(width, fmt)
    return f"{folder}/{file_name}" if folder else file_name


def names_of(master_name: str, renditions: Iterable[list]) -> list[str]:
    """Every file that belongs to one image: its master and the renditions
    its row lists (each row starts with the width)."""
    if not master_name:
        return []
    return [master_name] + [
        rendition_name(master_name, rendition[0], fmt)
        for rendition in renditions
        for fmt in RENDITION_FORMATS
    ]


class StorageNameTaken(Exception):
    """The storage gave a file another name than the one asked for."""


def write_upload(storage: Storage, upload, extension: str) -> str:
    """Store an upload as it was sent, under a new key, until it is processed."""
    name = new_upload_name(extension)
    upload.seek(0)
    stored = storage.save(name, upload)
    if stored != name:
        delete(storage, [stored])
        raise StorageNameTaken(f"{name} was stored as {stored}")
    return stored


def write(
    storage: Storage, processed: ProcessedImage, *, beside: str = ""
) -> list[str]:
    """Store a processed image; return the names written, the master first.

    Under a new key, or ``beside`` a waiting upload, in its folder: files a
    killed run left there under the same names are replaced. If any write
    fails, what was already written is removed before the error propagates, so
    a failed upload or run leaves nothing behind.
    """
    if beside:
        master = master_name_beside(beside, processed.master_extension)
    else:
        master = new_master_name(processed.master_extension)
    planned = [(master, processed.master)]
    for rendition in processed.renditions:
        planned.append(
            (rendition_name(master, rendition.width, "webp"), rendition.webp)
        )
        planned.append((rendition_name(master, rendition.width, "jpg"), rendition.jpeg))
    written: list[str] = []
    try:
        for name, content in planned:
            if beside and storage.exists(name):
                storage.delete(name)
            stored = storage.save(name, ContentFile(content))
            written.append(stored)
            if stored != name:
                raise StorageNameTaken(f"{name} was stored as {stored}")
    except BaseException:
        delete(storage, written)
        raise
    return written


def delete(storage: Storage, names: Iterable[str]) -> None:
    """Remove files, and on a file system the image's emptied directories too."""
    directories = set()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete media file %s", name, exc_info=True)
        directories.add(PurePosixPath(name).parent)
    if isinstance(storage, FileSystemStorage):
        for directory in directories:
            for path in (directory, directory.parent):
                if path.parts[:1] != (ROOT,) or path == PurePosixPath(ROOT):
                    continue
                try:
                    os.rmdir(storage.path(str(path)))
                except OSError:
                    break  # not empty, or already gone


def keep_if_committed(storage: Storage, names: Iterable[str]) -> None:
    """Note files written for a row in the current transaction: they stay once
    it commits, and go with delete_rolled_back() if it never does."""
    entry = (storage, list(names))
    pending = _uncommitted.__dict__.setdefault("entries", [])
    pending.append(entry)

    def committed() -> None:
        if entry in pending:
            pending.remove(entry)

    transaction.on_commit(committed)


def delete_rolled_back(**kwargs) -> None:
    """At the end of a request, remove the files of transactions that rolled
    back. Inside a transaction still open (a test's) they may yet commit."""
    pending = _uncommitted.__dict__.get("entries")
    if not pending or connection.in_atomic_block:
        return
    for storage, names in pending:
        logger.info("Removing %s files of a save that was rolled back", len(names))
        delete(storage, names)
    pending.clear()
