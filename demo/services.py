"""Loading the demo content into a database: once, unless forced."""

from collections.abc import Callable

from django.db import transaction

from .catalog import load_catalog_demo
from .models import DemoLoad
from .news import load_news_demo
from .pictures import load_pictures_demo


class DemoAlreadyLoaded(Exception):
    """The demo was loaded into this database before; ``load`` says when."""

    def __init__(self, load: DemoLoad):
        super().__init__(str(load))
        self.load = load


@transaction.atomic
def load_demo(
    *, force: bool = False, report: Callable[[str], object] = lambda line: None
) -> DemoLoad:
    """Load the demo content that is missing and record the load; ``report`` is
    given a summary line as each part is done (the pictures take a while).

    Raises DemoAlreadyLoaded, changing nothing, if the demo was loaded here
    before, unless ``force`` is set."""
    previous = DemoLoad.objects.last()
    if previous is not None and not force:
        raise DemoAlreadyLoaded(previous)
    report(load_catalog_demo())
    pictures = load_pictures_demo()
    report(str(pictures))
    total, new = load_news_demo(pictures.stills)
    report(f"Demo magazine: {total} articles ({new} new).")
    return DemoLoad.objects.create()
