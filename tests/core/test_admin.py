"""Editing safely: no admin save overwrites someone else's change unseen, and a
value taken a moment ago is a form error, never a 500."""

import threading
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import AlternativeTitle, Credit, Film
from core.admin import GuardedAdmin, GuardedForm
from permalinks.models import OldSlug
from tests.catalog.test_admin import FILM_ADD, credit_row, film_form
from tests.factories import (
    make_article,
    make_author,
    make_company,
    make_country,
    make_credit,
    make_film,
    make_genre,
    make_language,
    make_person,
    make_section,
    make_still,
)
from tests.pages import posted_back


def project_admins() -> list[tuple[type, admin.ModelAdmin]]:
    """Every ModelAdmin registered for a model of the project's own apps (the
    top-level folders of the project), whatever a future app adds."""
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if Path(model._meta.app_config.path).parent == Path(settings.BASE_DIR)
        ),
        key=lambda pair: pair[0]._meta.label,
    )


def old_slug() -> OldSlug:
    film = make_film()
    return OldSlug.objects.create(
        content_type=ContentType.objects.get_for_model(Film),
        object_id=film.pk,
        slug="an-old-slug",
    )


# The smallest object of each model with an admin; a new admin needs one here.
FACTORIES = {
    "catalog.Company": make_company,
    "catalog.Country": make_country,
    "catalog.Film": make_film,
    "catalog.Genre": make_genre,
    "catalog.Language": make_language,
    "catalog.Person": make_person,
    "catalog.Still": make_still,
    "news.Article": make_article,
    "news.Author": make_author,
    "news.Section": make_section,
    "permalinks.OldSlug": old_slug,
}

ADMINS = pytest.mark.parametrize(
    ("model", "model_admin"),
    project_admins(),
    ids=[model._meta.label for model, _ in project_admins()],
)


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def text_field(form) -> str:
    """The first plain text field of the form with room for a sentence."""
    for name, field in form.fields.items():
        if (
            type(field) is forms.CharField
            and isinstance(field.widget, forms.TextInput | forms.Textarea)
            and (field.max_length or 1000) >= 40
        ):
            return name
    raise AssertionError(f"{type(form).__name__} has no text field to type into")


def saving(page, **typed) -> dict[str, list[str]]:
    """What the browser posts when the editor types into the page and saves."""
    return posted_back(page, **typed) | {"_save": ["Save"]}


@pytest.fixture
def editors(django_user_model) -> tuple[Client, Client]:
    """Two editors, "first" and "second", each in a browser of their own."""
    clients = []
    for name in ("first", "second"):
        user = django_user_model.objects.create_superuser(name, f"{name}@example.com")
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients[0], clients[1]


def test_the_project_has_admins_to_check():
    """The list below is not empty by accident: it holds the catalog and news."""
    labels = {model._meta.label for model, _ in project_admins()}
    assert {"catalog.Film", "catalog.Person", "news.Article"} <= labels
    assert "auth.User" not in labels


@ADMINS
def test_every_admin_is_guarded(model, model_admin):
    """Every admin of the project uses the shared guard and its form."""
    assert isinstance(model_admin, GuardedAdmin)
    assert issubclass(model_admin.form, GuardedForm)
    assert model._meta.label in FACTORIES, "add a factory for the new admin's model"


def test_an_admin_whose_form_skips_the_guard_fails_the_system_checks():
    """A future admin with a form of its own that forgets GuardedForm is caught
    by `manage.py check` (and so by the test run and the server's start)."""

    class Forgetful(GuardedAdmin):
        form = forms.ModelForm

    errors = Forgetful(Film, admin.site).check()
    assert [error.id for error in errors] == ["core.E001"]


@ADMINS
@pytest.mark.django_db
def test_a_stale_save_is_refused_naming_who_and_when_and_keeping_the_typing(
    model, model_admin, editors
):
    """The first editor opens the form, the second saves a change, and the
    first editor's save is refused: the message names the second editor and
    the time, what the first typed is still on the form, and the second
    editor's change stands."""
    first, second = editors
    obj = FACTORIES[model._meta.label]()
    url = change_url(obj)
    opened = first.get(url)
    if not opened.context["has_change_permission"]:
        # A read-only admin (old addresses): nobody's save can be overwritten.
        assert first.post(url, saving(opened)).status_code == 403
        return
    field = text_field(opened.context["adminform"].form)

    theirs = saving(second.get(url), **{field: "Changed by the second editor"})
    assert second.post(url, theirs).status_code == 302

    response = first.post(url, saving(opened, **{field: "Typed by the first editor"}))
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.non_field_errors()
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
    ).latest("action_time")
    when = timezone.localtime(entry.action_time)
    assert "Someone else changed this" in message
    assert f"(second, {when:%-d %b %Y at %H:%M} {when.tzname()})" in message
    assert "Typed by the first editor" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == "Changed by the second editor"


@ADMINS
@pytest.mark.django_db
def test_a_save_from_a_current_form_goes_through(model, model_admin, editors):
    """With nobody else's change in between, the guard lets a save through, and
    the form saved again from the page it leads to saves too."""
    first, _second = editors
    obj = FACTORIES[model._meta.label]()
    url = change_url(obj)
    opened = first.get(url)
    if not opened.context["has_change_permission"]:
        return  # nothing to save (see the test above)
    field = text_field(opened.context["adminform"].form)
    response = first.post(url, saving(opened, **{field: "Saved once"}))
    assert response.status_code == 302, response.context["adminform"].form.errors
    reopened = first.get(url)
    assert first.post(url, saving(reopened, **{field: "Saved twice"})).status_code == (
        302
    )
    obj.refresh_from_db()
    assert getattr(obj, field) == "Saved twice"


@pytest.mark.django_db
def test_a_film_form_is_stale_once_one_of_its_credits_changes(editors):
    """The credits on the film page are part of what its editor could
    overwrite: a change to one from the person's page makes the film's form
    stale, the message says who made it and where, and the credit keeps its
    new value."""
    first, second = editors
    credit = make_credit(department="directing", job="Director")
    film_page = first.get(change_url(credit.film))

    person_url = change_url(credit.person)
    person_page = second.get(person_url)
    theirs = saving(person_page, **{"credits-0-job": "Screenplay"})
    assert second.post(person_url, theirs).status_code == 302

    mine = saving(film_page, synopsis="A robot soldier modelled on her mother.")
    response = first.post(change_url(credit.film), mine)
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.non_field_errors()
    assert message.startswith("Someone else changed this film since you opened it")
    assert "(second, " in message
    assert f", on {credit.person.name})" in message
    assert "A robot soldier modelled on her mother." in response.content.decode()
    credit.refresh_from_db()
    assert credit.job == "Screenplay"
    assert Film.objects.get(pk=credit.film_id).synopsis == ""


@pytest.mark.django_db
def test_a_film_form_is_stale_once_one_of_its_credits_is_deleted(editors):
    """A credit deleted since the film's page was opened would come back (or
    fail) on its save: the form is stale."""
    first, _second = editors
    credit = make_credit(department="directing", job="Director")
    film_page = first.get(change_url(credit.film))
    credit.delete()
    response = first.post(change_url(credit.film), saving(film_page, synopsis="Typed"))
    assert response.status_code == 200
    assert "Someone else changed this film" in response.content.decode()
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_a_credit_added_elsewhere_meanwhile_does_not_block_the_films_save(editors):
    """A row the editor's page did not have cannot be overwritten by it: the
    film saves, and the other editor's new credit stays."""
    first, _second = editors
    film = make_film()
    film_page = first.get(change_url(film))
    theirs = make_credit(film=film, department="cast", character="Yun Jung-yi")
    response = first.post(change_url(film), saving(film_page, synopsis="Typed"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Film.objects.get(pk=film.pk).synopsis == "Typed"
    assert list(film.credits.all()) == [theirs]


# A value taken a moment ago


def validation_misses_the_first_time(monkeypatch, owner, method: str) -> None:
    """Make `owner.method`, a validation step, pass the first time it is asked:
    as if the other row it should find had not been saved yet."""
    original = getattr(owner, method)
    calls = []

    def first_misses(self, *args, **kwargs):
        calls.append(self)
        if len(calls) > 1:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, first_misses)


@pytest.mark.django_db
def test_a_slug_taken_after_validation_is_a_field_error_not_a_500(
    admin_client, monkeypatch
):
    """Another editor's film takes the slug after this form was validated: the
    INSERT hits the unique constraint, and the editor gets the form back with
    the slug's error and everything typed, and nothing of it is saved."""
    make_film(title="Jung_E", slug="jung-e")  # theirs, saved a moment ago
    validation_misses_the_first_time(monkeypatch, GuardedForm, "validate_unique")
    person = make_person()
    data = film_form([credit_row(person)], synopsis="Typed by this editor")

    response = admin_client.post(FILM_ADD, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Film with this Slug already exists."
    ]
    assert "Typed by this editor" in response.content.decode()
    assert Film.objects.filter(slug="jung-e").count() == 1
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_renaming_to_a_slug_taken_after_validation_is_a_field_error(
    admin_client, monkeypatch
):
    """The same for a rename, on a small admin (genres)."""
    make_genre(name="Science fiction", slug="science-fiction")
    genre = make_genre(name="Sci-fi", slug="sci-fi")
    validation_misses_the_first_time(monkeypatch, GuardedForm, "validate_unique")
    data = {"name": "Science-fiction", "slug": "science-fiction"}

    response = admin_client.post(change_url(genre), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Genre with this Slug already exists."
    ]
    genre.refresh_from_db()
    assert (genre.name, genre.slug) == ("Sci-fi", "sci-fi")


@pytest.mark.django_db
def test_an_inline_row_taken_after_validation_is_an_error_on_its_row(
    admin_client, monkeypatch
):
    """Two editors add the same alternative title to a film: the second gets
    the row's error, and neither the row nor the film's own changes are saved."""
    film = make_film(title="Jung_E", slug="jung-e")
    AlternativeTitle.objects.create(film=film, title="JUNG_E", kind="stylised")
    validation_misses_the_first_time(
        monkeypatch, AlternativeTitle, "validate_constraints"
    )
    data = film_form([], synopsis="Typed by this editor")
    data |= {
        "alternative_titles-TOTAL_FORMS": "1",
        "alternative_titles-0-title": "JUNG_E",
        "alternative_titles-0-kind": "stylised",
    }

    response = admin_client.post(change_url(film), data)

    assert response.status_code == 200
    assert "This film already has that title." in response.content.decode()
    assert "Typed by this editor" in response.content.decode()
    assert AlternativeTitle.objects.count() == 1
    assert Film.objects.get(pk=film.pk).synopsis == ""


@pytest.mark.django_db
def test_a_clash_validation_cannot_see_is_still_a_form_error(admin_client, monkeypatch):
    """If validating again still finds no clash (a constraint the form does not
    check), the form says the save clashed with another, rather than a 500."""
    make_film(title="Jung_E", slug="jung-e")
    monkeypatch.setattr(GuardedForm, "validate_unique", lambda form: None)

    response = admin_client.post(FILM_ADD, film_form([], synopsis="Typed"))

    assert response.status_code == 200
    (message,) = response.context["adminform"].form.non_field_errors()
    assert "at the same moment" in message
    assert "Typed" in response.content.decode()
    assert Film.objects.count() == 1


# Real concurrent requests (PostgreSQL)

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time (IMMEDIATE), so two "
    "saves cannot race there; CI runs the suite on PostgreSQL too",
)


def at_once(*requests) -> list:
    """Run each request (a function of no arguments) in a thread of its own,
    with its own database connection, and return their responses."""
    responses = [None] * len(requests)
    failures = []

    def run(n, request):
        try:
            responses[n] = request()
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(n, request))
        for n, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return responses


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_editors_creating_the_same_slug_at_once_get_a_film_and_a_form_error(
    django_user_model, monkeypatch
):
    """Both forms pass validation before either film is inserted (they wait for
    each other right after it): one is saved, the other answers with the form
    and the slug's error, not a 500."""
    user = django_user_model.objects.create_superuser("editor", "e@example.com")
    clients = [logged_in(user), logged_in(user)]
    both_validated = threading.Barrier(2, timeout=30)
    waited = threading.local()
    validate_unique = GuardedForm.validate_unique

    def validate_then_wait(form):
        validate_unique(form)
        if not getattr(waited, "once", False):
            waited.once = True
            both_validated.wait()

    monkeypatch.setattr(GuardedForm, "validate_unique", validate_then_wait)

    responses = at_once(
        *(
            lambda client=client, n=n: client.post(
                FILM_ADD, film_form([], synopsis=f"Typed by editor {n}")
            )
            for n, client in enumerate(clients)
        )
    )

    assert sorted(response.status_code for response in responses) == [200, 302]
    (refused,) = [response for response in responses if response.status_code == 200]
    page = refused.content.decode()
    assert "Film with this Slug already exists." in page
    assert "Typed by editor" in page
    assert Film.objects.filter(slug="jung-e").count() == 1


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_the_same_film_at_once_cannot_both_win(
    django_user_model, monkeypatch
):
    """Both opened the same film and save at the same moment: the row lock makes
    the second wait for the first, which then makes its form stale."""
    users = [
        django_user_model.objects.create_superuser(name, f"{name}@example.com")
        for name in ("first", "second")
    ]
    clients = [logged_in(user) for user in users]
    film = make_film(title="Jung_E", slug="jung-e")
    url = change_url(film)
    pages = [client.get(url) for client in clients]
    both_loading = threading.Barrier(2, timeout=30)
    get_object = GuardedAdmin.get_object

    def wait_then_load(self, request, *args, **kwargs):
        if request.method == "POST":
            both_loading.wait()
        return get_object(self, request, *args, **kwargs)

    monkeypatch.setattr(GuardedAdmin, "get_object", wait_then_load)

    responses = at_once(
        *(
            lambda client=client, page=page, n=n: client.post(
                url, saving(page, synopsis=f"Typed by editor {n}")
            )
            for n, (client, page) in enumerate(zip(clients, pages, strict=True))
        )
    )

    assert sorted(response.status_code for response in responses) == [200, 302]
    (refused,) = [response for response in responses if response.status_code == 200]
    assert "Someone else changed this film" in refused.content.decode()
    saved = Film.objects.get(pk=film.pk).synopsis
    assert saved in {"Typed by editor 0", "Typed by editor 1"}
    assert saved not in refused.content.decode()


# Deleted while open


@ADMINS
@pytest.mark.django_db
def test_a_save_of_something_deleted_meanwhile_shows_what_was_typed(
    model, model_admin, editors
):
    """The second editor deletes what the first has open: the first editor's
    save creates nothing, and instead of a redirect that would lose the text,
    the page says who deleted it and when and shows everything typed."""
    first, second = editors
    obj = FACTORIES[model._meta.label]()
    url = change_url(obj)
    opened = first.get(url)
    if not opened.context["has_change_permission"]:
        return  # read-only (old addresses): nothing is typed there
    field = text_field(opened.context["adminform"].form)
    opts = model._meta
    delete_url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]
    )
    assert second.post(delete_url, {"post": "yes"}).status_code == 302
    count = model.objects.count()

    response = first.post(url, saving(opened, **{field: "Typed <b>by</b> the first"}))

    page = response.content.decode()
    assert response.status_code == 409
    assert f"This {opts.verbose_name} was deleted by second on" in page
    assert "Typed &lt;b&gt;by&lt;/b&gt; the first" in page
    assert model.objects.count() == count
