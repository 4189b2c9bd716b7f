import datetime
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Credit, Department, Film, Person
from catalog.selectors import film_details
from demo.models import DemoLoad
from news.models import Article
from tests.factories import make_film


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def model_counts() -> dict[str, int]:
    """Row counts of every catalog model, many-to-many tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("catalog").get_models(
            include_auto_created=True
        )
    }


@pytest.mark.django_db
def test_jung_e_is_loaded_with_its_credits():
    """Jung_E is loaded with its year, runtime, titles, directors, writers and cast."""
    load_demo()

    film = Film.objects.with_details().get(slug="jung-e")
    details = film_details(film)
    assert film.title == "Jung_E"
    assert film.year == 2023
    assert film.runtime == 99
    assert film.original_title == "정이"
    assert film.original_language.code == "ko"
    assert sorted(t.title for t in details.alternative_titles) == [
        "JUNG_E",
        "Jeong-i",
        "Jung E",
        "Jung-E",
    ]
    assert [(c.person.name, c.job) for c in details.directors] == [
        ("Yeon Sang-ho", "Director")
    ]
    assert [(c.person.name, c.job) for c in details.writers] == [
        ("Yeon Sang-ho", "Screenplay")
    ]
    assert [(c.person.name, c.character, c.billing_order) for c in details.cast] == [
        ("Kang Soo-yeon", "Yun Seo-hyun", 1),
        ("Kim Hyun-joo", "Yun Jung-yi", 2),
        ("Ryu Kyung-soo", "Kim Sang-hoon", 3),
        ("Park So-yi", "", 4),
    ]


@pytest.mark.django_db
def test_jung_e_page_shows_its_cast(client):
    """The Jung_E page answers and names Kim Hyun-joo and her character."""
    load_demo()

    response = client.get("/films/jung-e/")

    assert response.status_code == 200
    assert "Kim Hyun-joo" in response.text
    assert "Yun Jung-yi" in response.text


@pytest.mark.django_db
def test_running_twice_creates_no_duplicates():
    """A second, forced run adds no rows to any catalog table."""
    first = load_demo()
    counts = model_counts()

    second = load_demo("--force")

    assert model_counts() == counts
    assert "6 films (6 new), 8 people (8 new)" in first
    assert "6 films (0 new), 8 people (0 new)" in second


@pytest.mark.django_db
def test_staff_edits_survive_a_rerun():
    """A forced rerun keeps an edited synopsis and does not bring back a deleted
    credit."""
    load_demo()
    film = Film.objects.get(slug="jung-e")
    film.synopsis = "Edited by staff."
    film.save()
    film.credits.get(department=Department.MUSIC).delete()

    load_demo("--force")

    film.refresh_from_db()
    assert film.synopsis == "Edited by staff."
    assert not Credit.objects.filter(film=film, department=Department.MUSIC).exists()


@pytest.mark.django_db
def test_kang_soo_yeon_died_aged_55():
    """Kang Soo-yeon's age is her age at death, 55."""
    load_demo()

    assert Person.objects.get(slug="kang-soo-yeon").age == 55


@pytest.mark.django_db
def test_the_first_run_records_the_load():
    """The first run loads the demo and records when it did."""
    before = timezone.now()

    output = load_demo()

    assert "6 films (6 new), 8 people (8 new)" in output
    assert "3 articles (3 new)" in output
    load = DemoLoad.objects.get()
    assert before <= load.loaded_at <= timezone.now()


@pytest.mark.django_db
def test_a_deleted_demo_article_stays_deleted_after_a_second_run(settings):
    """Once the demo is loaded, a second run says when and changes nothing: an
    article an editor deleted stays deleted."""
    settings.TIME_ZONE = "UTC"
    load_demo()
    DemoLoad.objects.update(
        loaded_at=datetime.datetime(2024, 3, 5, 10, 30, tzinfo=datetime.UTC)
    )
    Article.objects.get(slug="jung-e-review").delete()
    counts = model_counts()

    output = load_demo()

    assert "The demo was already loaded on 2024-03-05 10:30 UTC" in output
    assert "nothing was changed" in output
    assert not Article.objects.filter(slug="jung-e-review").exists()
    assert Article.objects.count() == 2
    assert model_counts() == counts
    assert DemoLoad.objects.count() == 1


@pytest.mark.django_db
def test_force_brings_a_deleted_demo_article_back():
    """--force loads the demo again: the deleted article is back, the others are
    kept, and the load is recorded."""
    load_demo()
    Article.objects.get(slug="jung-e-review").delete()

    output = load_demo("--force")

    assert "3 articles (1 new)" in output
    assert Article.objects.filter(slug="jung-e-review").exists()
    assert Article.objects.count() == 3
    assert DemoLoad.objects.count() == 2


@pytest.mark.django_db
def test_a_database_loaded_before_loads_were_recorded_is_not_loaded_again():
    """The migration that brought DemoLoad records the earlier load of a
    database that already holds the demo, so the next run keeps its edits."""
    migration = importlib.import_module("demo.migrations.0002_record_earlier_demo_load")
    make_film(title="Jung_E", slug="jung-e")

    migration.record_earlier_load(apps, None)

    assert DemoLoad.objects.count() == 1


@pytest.mark.django_db
def test_a_database_without_the_demo_gets_no_load_recorded():
    migration = importlib.import_module("demo.migrations.0002_record_earlier_demo_load")
    make_film(title="Another film", slug="another-film")

    migration.record_earlier_load(apps, None)

    assert not DemoLoad.objects.exists()
