import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import Credit, Department
from tests.factories import make_credit, make_film, make_person

pytestmark = pytest.mark.django_db


def test_names_read_like_a_catalog():
    """Films, people and credits have readable names in the admin and shell."""
    film = make_film(title="Jung_E", release_date=datetime.date(2023, 1, 20))
    actor = make_person(name="Kim Hyun-joo")
    director = make_person(name="Yeon Sang-ho")
    role = make_credit(film=film, person=actor, character="Yun Jung-yi")
    job = make_credit(
        film=film, person=director, department=Department.DIRECTING, job="Director"
    )
    assert str(film) == "Jung_E (2023)"
    assert str(role) == "Kim Hyun-joo as Yun Jung-yi in Jung_E"
    assert str(job) == "Yeon Sang-ho, Director of Jung_E"
    assert str(make_film(title="Untitled project")) == "Untitled project"


def test_year_follows_the_release_date():
    """The year used for sorting and filtering is taken from the release date."""
    film = make_film(release_date=datetime.date(2023, 1, 20), year=1999)
    assert film.year == 2023
    announced = make_film(year=2027)
    assert announced.year == 2027


def test_age_at_death_counts_completed_years():
    """Age at death counts the birthdays actually reached."""
    person = make_person(
        birth_date=datetime.date(1966, 8, 18), death_date=datetime.date(2022, 5, 7)
    )
    assert person.age == 55
    person.death_date = datetime.date(2022, 8, 18)
    assert person.age == 56
    assert make_person().age is None


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(
            lambda: make_person(
                birth_date=datetime.date(2000, 1, 2),
                death_date=datetime.date(2000, 1, 1),
            ),
            id="death-before-birth",
        ),
        pytest.param(lambda: make_film(runtime=0), id="runtime-zero"),
        pytest.param(
            lambda: make_credit(
                department=Department.EDITING, job="Editor", character="Someone"
            ),
            id="character-on-crew-credit",
        ),
    ],
)
def test_the_database_refuses_impossible_rows(build):
    """Rules hold in the database too, for scripts that skip form validation."""
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_the_database_refuses_a_duplicate_credit():
    """The same person cannot hold the same credit twice on one film."""
    credit = make_credit(department=Department.DIRECTING, job="Director")
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(
            film=credit.film,
            person=credit.person,
            department=Department.DIRECTING,
            job="Director",
        )


def test_one_person_may_hold_several_credits_on_a_film():
    """A director who also wrote the film has two credits on it."""
    credit = make_credit(department=Department.DIRECTING, job="Director")
    make_credit(
        film=credit.film,
        person=credit.person,
        department=Department.WRITING,
        job="Screenplay",
    )
    assert credit.film.credits.count() == 2


def test_validation_names_the_field_at_fault():
    """Form validation points at the field, in words an editor understands."""
    person = make_person()
    person.birth_date = datetime.date(2000, 1, 2)
    person.death_date = datetime.date(2000, 1, 1)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict == {
        "death_date": ["The date of death is before the birth date."]
    }

    credit = Credit(
        film=make_film(),
        person=make_person(),
        department=Department.MUSIC,
        job="Composer",
        character="Narrator",
    )
    with pytest.raises(ValidationError) as error:
        credit.full_clean()
    assert error.value.message_dict == {
        "character": ["Only cast credits name a character."]
    }

    film = make_film()
    film.runtime = 0
    with pytest.raises(ValidationError) as error:
        film.full_clean()
    assert "runtime" in error.value.message_dict
