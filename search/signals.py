"""Keep the search index in step with the catalog and the magazine. The
receivers only say what changed; search.indexing does the work."""

from django.db.models.signals import post_delete, post_save

from catalog.models import AlternativeTitle, Credit, Film, Person, PersonNameVariant
from news.models import Article

from . import indexing

# What each model's entries are made of: a save that names other fields
# (update_fields) leaves the index as it was.
FILM_FIELDS = {"title", "original_title"}
PERSON_FIELDS = {"name", "native_name"}
CREDIT_FIELDS = {"character", "film", "person"}


def _touches(raw: bool, update_fields, fields: set[str]) -> bool:
    """Whether a save changes what the index holds. A raw save (loaddata) does
    not: a fixture carries its own index rows, or rebuild_search_index writes
    them, and indexing it here would add every entry a second time."""
    if raw:
        return False
    return update_fields is None or not fields.isdisjoint(update_fields)


def _film_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if _touches(raw, update_fields, FILM_FIELDS):
        indexing.index_film(instance)


def _alternative_title_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_film(instance.film)


def _person_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if _touches(raw, update_fields, PERSON_FIELDS):
        indexing.index_person(instance)


def _name_variant_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_person(instance.person)


def _credit_saved(
    sender, instance, created=False, raw=False, update_fields=None, **kwargs
):
    # A new credit without a character (most of the crew) has nothing to index.
    if created and not instance.character:
        return
    if _touches(raw, update_fields, CREDIT_FIELDS):
        indexing.index_credit(instance)


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_article(instance)


def _alternative_title_deleted(sender, instance, **kwargs):
    # Only this title's entries: rebuilding the film here would write rows
    # for a film that a cascade may be about to delete.
    indexing.forget(
        film_id=instance.film_id, field="alternative_title", text=instance.title
    )


def _name_variant_deleted(sender, instance, **kwargs):
    indexing.forget(
        person_id=instance.person_id, field="name_variant", text=instance.name
    )


def connect() -> None:
    uid = "search.index"
    post_save.connect(_film_changed, sender=Film, dispatch_uid=uid)
    post_save.connect(
        _alternative_title_changed, sender=AlternativeTitle, dispatch_uid=uid
    )
    post_delete.connect(
        _alternative_title_deleted, sender=AlternativeTitle, dispatch_uid=uid
    )
    post_save.connect(_person_changed, sender=Person, dispatch_uid=uid)
    post_save.connect(_name_variant_changed, sender=PersonNameVariant, dispatch_uid=uid)
    post_delete.connect(
        _name_variant_deleted, sender=PersonNameVariant, dispatch_uid=uid
    )
    post_save.connect(_credit_saved, sender=Credit, dispatch_uid=uid)
    post_save.connect(_article_saved, sender=Article, dispatch_uid=uid)
