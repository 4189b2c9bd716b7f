"""A site to back up and a way to compare two of them, run in a subprocess
with the database and media root its environment names:

    python -m tests.ops.backup_site build     # content, pictures, search index
    python -m tests.ops.backup_site still-without-files  # and print its master
    python -m tests.ops.backup_site snapshot  # every row and search result, as JSON
"""

import json
import sys

import django

QUERIES = ["seoul", "kim", "ryoo kyungsoo", "jung e", "android", "busan train"]


def build() -> None:
    from django.contrib.auth import get_user_model

    from catalog.models import AlternativeTitle, PersonNameVariant
    from news.models import Article
    from search.indexing import rebuild
    from tests import factories as f

    genre = f.make_genre(name="Science fiction", slug="science-fiction")
    country = f.make_country()
    jung_e = f.make_film(
        title="Jung_E", slug="jung-e", genres=[genre], countries=[country]
    )
    AlternativeTitle.objects.create(film=jung_e, title="정이")
    train = f.make_film(title="Train to Busan", slug="train-to-busan")
    kim = f.make_person(name="Kim Hyun-joo", slug="kim-hyun-joo")
    ryu = f.make_person(name="Ryu Kyung-soo", slug="ryu-kyung-soo")
    PersonNameVariant.objects.create(person=ryu, name="Ryoo Kyung-soo")
    f.make_credit(film=jung_e, person=kim, character="Yun Jung-yi")
    f.make_credit(film=jung_e, person=ryu, character="Kim Sang-hoon")
    f.make_credit(film=train, person=ryu, character="Soldier")
    stills = [
        f.make_still(
            film=jung_e,
            people=[kim],
            image=f.image_upload(f"still-{n}.jpg", 640 + 160 * n, 400),
            caption=f"Still {n} of Jung_E",
        )
        for n in range(3)
    ]
    f.make_portrait(kim, image=f.image_upload("kim.png", 400, 500, fmt="PNG"))
    f.make_portrait(ryu, image=f.image_upload("ryu.jpg", 300, 420))
    author = f.make_author(name="Park Min-ji", slug="park-min-ji")
    f.make_article(
        headline="Netflix releases Jung_E stills",
        body="The android of Seoul, in **three** stills.",
        lead_image=stills[0],
        films=[jung_e],
        people=[kim],
        authors=[author],
    )
    f.make_article(
        headline="Jung_E review",
        kind=Article.Kind.REVIEW,
        reviewed_film=jung_e,
        body="A film about an android soldier.",
        authors=[author],
    )
    f.make_article(headline="A draft about Busan", status=Article.Status.DRAFT)
    get_user_model().objects.create_user("editor", password="not-a-real-password1")
    rebuild()


def still_without_files() -> None:
    """A row whose files are not in storage (lost, or deleted meanwhile)."""
    from tests import factories as f

    print(f.make_still(caption="Lost").image.name)


def snapshot() -> dict:
    """Every row of every model (the search entries without their ids, which
    a rebuild renumbers) and what a few searches find."""
    from django.apps import apps
    from django.core import serializers

    from search import engine, text
    from search.models import SearchEntry

    rows = {
        model._meta.label: json.loads(
            serializers.serialize("json", model._base_manager.order_by("pk"))
        )
        for model in apps.get_models(include_auto_created=True)
        if model is not SearchEntry
    }
    entries = sorted(
        SearchEntry.objects.values_list(
            "film_id", "person_id", "credit_id", "field", "text", "whole", "key"
        ),
        key=repr,
    )
    searches = {}
    for query in QUERIES:
        catalog = engine.search_catalog(text.clean_query(query))
        searches[query] = {
            "films": [[m.film_id, m.field, m.text, m.rank] for m in catalog.films],
            "people": [[m.person_id, m.field, m.text, m.rank] for m in catalog.people],
            "articles": list(
                engine.matching_articles(query, catalog).values_list("pk", flat=True)
            ),
        }
    return {"rows": rows, "search_entries": entries, "searches": searches}


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "build":
        build()
    elif sys.argv[1] == "still-without-files":
        still_without_files()
    else:
        json.dump(snapshot(), sys.stdout, default=list)
