from collections.abc import Iterable

from django.core.files import File
from django.db import transaction

from .models import Film, Still


@transaction.atomic
def add_stills(
    film: Film,
    images: Iterable[File],
    *,
    kind: str,
    alt_text: str,
    credit: str = "",
) -> list[Still]:
    """Add each image to the film as a still, after its last one and in the
    order given, all with the same kind, alt text and credit line."""
    last = film.stills.order_by("-position").values_list("position", flat=True)
    stills = []
    for position, image in enumerate(images, start=(last.first() or 0) + 1):
        stills.append(
            Still.objects.create(
                film=film,
                image=image,  # processed and stored by the PictureField
                kind=kind,
                alt_text=alt_text,
                credit=credit,
                position=position,
            )
        )
    return stills
