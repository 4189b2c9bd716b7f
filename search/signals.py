"""Keep the search index in step with the catalog and the magazine. The
receivers only say what changed; search.indexing does the work."""

from django.db.models.signals import post_delete, post_save

from catalog.models import AlternativeTitle, Credit, Film, Person, PersonNameVariant
from news.models import Article

from . import indexing


def _film_changed(sender, instance, **kwargs):
    indexing.index_film(instance.pk)


def _alternative_title_changed(sender, instance, **kwargs):
    indexing.index_film(instance.film_id)


def _person_changed(sender, instance, **kwargs):
    indexing.index_person(instance.pk)


def _name_variant_changed(sender, instance, **kwargs):
    indexing.index_person(instance.person_id)


def _credit_saved(sender, instance, **kwargs):
    indexing.index_credit(instance.pk)


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
