"""Which models keep their old slugs, and which URLs carry those slugs.

Each app registers its own URL names in its AppConfig.ready(): catalog its film
and person pages, news its article pages and the film and person feeds. A 404
on one of those names with a slug that once belonged to an object is answered
with a permanent redirect (see middleware.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from . import signals


@dataclass(frozen=True)
class Route:
    model: type[models.Model]
    # True where the object's get_absolute_url() is the answer (an article asked
    # for under /news/ that is now a review lives under /reviews/).
    canonical: bool
    # The objects readers may be sent to (never a draft's new address).
    visible: Callable[[], models.QuerySet] | None = None

    def objects(self) -> models.QuerySet:
        return self.visible() if self.visible else self.model._default_manager.all()


ROUTES: dict[str, Route] = {}


def track(
    model: type[models.Model],
    *url_names: str,
    canonical: bool = False,
    visible: Callable[[], models.QuerySet] | None = None,
):
    """Keep ``model``'s old slugs, and redirect ``url_names`` that use one to
    the object, if it is among ``visible`` (by default, all of them)."""
    for name in url_names:
        ROUTES[name] = Route(model, canonical, visible)
    uid = f"permalinks-{model._meta.label_lower}"
    pre_save.connect(signals.remember_slug, sender=model, dispatch_uid=uid)
    post_save.connect(signals.record_old_slug, sender=model, dispatch_uid=uid)
    post_delete.connect(signals.forget_old_slugs, sender=model, dispatch_uid=uid)
