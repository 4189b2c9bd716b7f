"""The index follows the catalog and the magazine as editors change them."""

import pytest
from django.core.management import call_command

from catalog.models import AlternativeTitle, Credit, Film, Person, PersonNameVariant
from news.models import Article
from search import engine
from search.models import ArticleDocument, SearchEntry
from tests.factories import make_article, make_credit, make_film, make_person

pytestmark = pytest.mark.django_db


def films_found(query: str) -> list[str]:
    return [match.film.title for match in engine.search_catalog(query).films]


def people_found(query: str) -> list[str]:
    return [match.person.name for match in engine.search_catalog(query).people]


def articles_found(client, query: str) -> list[str]:
    response = client.get("/search/", {"q": query})
    return [article.headline for article in response.context["article_list"]]


def test_a_renamed_film_is_found_by_its_new_title_only():
    film = make_film(title="Jung E")

    film.title = "Peninsula"
    film.save()

    assert films_found("peninsula") == ["Peninsula"]
    assert films_found("jung e") == []


def test_original_and_alternative_titles_follow_edits():
    film = make_film(title="Jung_E")
    film.original_title = "정이"
    film.save()
    title = AlternativeTitle.objects.create(
        film=film, title="Jeong-i", kind="romanised"
    )
    assert films_found("정이") == ["Jung_E"]
    assert films_found("jeongi") == ["Jung_E"]

    title.title = "Project Kronoid"
    title.save()
    assert films_found("jeongi") == []
    assert films_found("kronoid") == ["Jung_E"]

    title.delete()
    assert films_found("kronoid") == []
    assert films_found("jung e") == ["Jung_E"]


def test_names_and_variants_follow_edits():
    person = make_person(name="Ryu Kyung-soo")
    variant = PersonNameVariant.objects.create(
        person=person, name="Marco Polo", kind="stage_name"
    )
    assert people_found("marco polo") == ["Ryu Kyung-soo"]

    person.name = "Ryoo Gyeong-su"
    person.native_name = "류경수"
    person.save()
    assert people_found("ryoo gyeong su") == ["Ryoo Gyeong-su"]
    assert people_found("류경수") == ["Ryoo Gyeong-su"]
    assert people_found("marco polo") == ["Ryoo Gyeong-su"]
    assert people_found("kyung-soo") == []

    variant.name = "Polo Marco"
    variant.save()
    assert people_found("marco polo") == ["Ryoo Gyeong-su"]  # in any order
    assert people_found("polo marco") == ["Ryoo Gyeong-su"]

    variant.delete()
    assert people_found("marco polo") == []


def test_characters_follow_credit_edits_and_deletions():
    film = make_film(title="Jung_E")
    credit = make_credit(
        film=film, person=make_person(name="Kang Soo-yeon"), character="Yun Seo-hyun"
    )
    assert people_found("seohyun") == ["Kang Soo-yeon"]

    credit.character = "Kim Sang-hoon"
    credit.person = make_person(name="Ryu Kyung-soo")
    credit.save()
    assert people_found("seohyun") == []
    assert people_found("sanghoon") == ["Ryu Kyung-soo"]

    credit.delete()
    assert people_found("sanghoon") == []


def test_a_renamed_film_is_named_in_its_characters_matches():
    film = make_film(title="Jung E")
    make_credit(film=film, person=make_person(name="Kim Hyun-joo"), character="Jung-yi")
    film.title = "Jung_E"
    film.save()

    [match] = engine.search_catalog("jungyi").people
    assert match.matched == "as Jung-yi in Jung_E"


def test_deleted_films_and_people_leave_no_entries():
    film = make_film(title="Jung_E")
    AlternativeTitle.objects.create(film=film, title="JUNG_E", kind="stylised")
    person = make_person(name="Kang Soo-yeon")
    PersonNameVariant.objects.create(person=person, name="Kang Sooyeon")
    make_credit(film=film, person=person, character="Yun Seo-hyun")

    film.delete()
    person.delete()

    assert not SearchEntry.objects.exists()
    assert films_found("jung e") == []
    assert people_found("kang") == []


def test_articles_follow_edits_unpublishing_and_deletion(client):
    article = make_article(headline="Kronoid lab revealed")
    assert articles_found(client, "kronoid") == ["Kronoid lab revealed"]

    article.headline = "Laboratory revealed"
    article.body = "Inside the Synthoid institute."
    article.save()
    assert articles_found(client, "kronoid") == []
    assert articles_found(client, "synthoid") == ["Laboratory revealed"]

    article.status = Article.Status.DRAFT
    article.save()
    assert articles_found(client, "synthoid") == []

    article.delete()
    assert not ArticleDocument.objects.exists()


def test_rebuilding_catches_up_with_bulk_changes(client):
    """bulk_create and update() send no signals; the command repairs that."""
    film = make_film(title="Jung_E")
    Film.objects.filter(pk=film.pk).update(title="Peninsula")
    Person.objects.bulk_create([Person(name="Kang Soo-yeon", slug="kang-soo-yeon")])
    person = Person.objects.get(slug="kang-soo-yeon")
    Credit.objects.bulk_create(
        [Credit(film=film, person=person, department="cast", character="Seo-hyun")]
    )
    article = make_article(headline="Kronoid")
    Article.objects.filter(pk=article.pk).update(headline="Synthoid")
    assert films_found("peninsula") == []

    call_command("rebuild_search_index", verbosity=0)

    assert films_found("peninsula") == ["Peninsula"]
    assert films_found("jung e") == []
    assert people_found("kang soo yeon") == ["Kang Soo-yeon"]
    assert people_found("seo hyeon") == ["Kang Soo-yeon"]
    assert articles_found(client, "synthoid") == ["Synthoid"]
    assert articles_found(client, "kronoid") == []


def test_the_demo_loader_leaves_the_index_complete(client, demo):
    before = sorted(SearchEntry.objects.values_list("key", "field", "text"))

    call_command("rebuild_search_index", verbosity=0)

    assert sorted(SearchEntry.objects.values_list("key", "field", "text")) == before
    assert ArticleDocument.objects.count() == Article.objects.count() == 3


def test_loading_a_dump_does_not_index_everything_twice(tmp_path):
    """dumpdata then loaddata gives back the same index: the fixture's own
    entries, none added again by the saves that load it."""
    film = make_film(title="Jung_E", original_title="정이")
    AlternativeTitle.objects.create(film=film, title="JUNG_E", kind="stylised")
    person = make_person(name="Kang Soo-yeon", native_name="강수연")
    PersonNameVariant.objects.create(person=person, name="Kang Su-yeon")
    make_credit(film=film, person=person, character="Yun Seo-hyun")
    entries = sorted(SearchEntry.objects.values_list("key", "field", "text"))
    dump = tmp_path / "catalog.json"
    call_command(
        "dumpdata", "catalog", "search.searchentry", output=str(dump), verbosity=0
    )
    SearchEntry.objects.all().delete()
    Credit.objects.all().delete()
    Film.objects.all().delete()
    Person.objects.all().delete()

    call_command("loaddata", str(dump), verbosity=0)

    assert sorted(SearchEntry.objects.values_list("key", "field", "text")) == entries
    assert films_found("jung e") == ["Jung_E"]
