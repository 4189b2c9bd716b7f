import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from reversion.models import Version

from catalog.models import Credit, Film, Person, PersonNameVariant, Still
from tests.factories import (
    make_credit,
    make_film,
    make_genre,
    make_person,
    make_still,
)
from tests.pages import posted_back

pytestmark = pytest.mark.django_db


def staff(username: str, group: str) -> User:
    call_command("setup_roles", verbosity=0)
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", "Editors"))
    return client


def admin_url(obj, suffix: str = "change/") -> str:
    return f"/admin/catalog/{obj._meta.model_name}/{obj.pk}/{suffix}"


def revisions(obj) -> list[Version]:
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def save(client, obj, **changes) -> None:
    response = client.post(
        admin_url(obj), posted_back(client.get(admin_url(obj)), **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors


def credit_fields(response, person) -> str:
    """The prefix of the credit row of `person` in the film's change form."""
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            if form.instance.pk and getattr(form.instance, "person_id", None) == (
                person.pk
            ):
                return form.prefix
    raise AssertionError(f"no credit of {person}")


def restore(client, obj, version: Version):
    url = admin_url(obj, f"history/{version.pk}/")
    shown = client.get(url)
    assert shown.status_code == 200
    response = client.post(url, posted_back(shown))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return shown


@pytest.fixture
def film_with_cast():
    film = make_film(title="Jung_E", synopsis="A scientist and a robot.")
    kim = make_person(name="Kim Hyun-joo")
    kang = make_person(name="Kang Soo-yeon")
    make_credit(film=film, person=kim, character="Yun Jung-yi", billing_order=1)
    make_credit(film=film, person=kang, character="Yun Seo-hyun", billing_order=2)
    return film, kim, kang


def test_every_film_save_keeps_a_revision_with_its_credits(
    editor_client, film_with_cast
):
    film, kim, kang = film_with_cast
    save(editor_client, film, synopsis="A war, a brain, a robot.")
    (version,) = revisions(film)
    assert version.revision.user.username == "editor"
    assert version.revision.get_comment() == "Changed Synopsis."
    held = {v.object_repr for v in version.revision.version_set.all()}
    assert "Kim Hyun-joo as Yun Jung-yi in Jung_E" in held
    assert "Kang Soo-yeon as Yun Seo-hyun in Jung_E" in held
    history = editor_client.get(admin_url(film, "history/")).content.decode()
    assert "Changed Synopsis." in history


def test_the_comparison_shows_the_synopsis_and_the_credits_that_changed(
    editor_client, film_with_cast
):
    film, kim, kang = film_with_cast
    film.genres.set([make_genre(name="Drama")])
    save(editor_client, film)
    form = editor_client.get(admin_url(film))
    prefix = credit_fields(form, kang)
    genres = [make_genre(name="Science fiction"), make_genre(name="Action")]
    save(
        editor_client,
        film,
        synopsis="<script>alert('synopsis')</script>",
        kind="documentary",
        genres=[str(genre.pk) for genre in genres],
        **{f"{prefix}-DELETE": "on"},
    )
    old, new = revisions(film)
    response = editor_client.get(
        admin_url(film, "history/compare/"), {"from": new.pk, "to": old.pk}
    )
    assert response.status_code == 200
    changes = {change.label: change for change in response.context["changes"]}
    assert ("added", "+<script>alert('synopsis')</script>") in changes["Synopsis"].diff
    assert (changes["Kind"].old, changes["Kind"].new) == (
        "Feature film",
        "Documentary",
    )
    assert (changes["Genres"].old, changes["Genres"].new) == (
        "Drama",
        "Action, Science fiction",
    )
    (credits,) = response.context["rows"]
    assert credits.label == "Credits (cast and crew)"
    assert credits.removed == ["Kang Soo-yeon as Yun Seo-hyun in Jung_E"]
    html = response.content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;synopsis&#x27;)&lt;/script&gt;" in html


def test_restoring_an_old_revision_brings_back_the_synopsis_and_a_deleted_credit(
    editor_client, film_with_cast
):
    film, kim, kang = film_with_cast
    save(editor_client, film)
    prefix = credit_fields(editor_client.get(admin_url(film)), kang)
    park = make_person(name="Park So-yi")
    save(
        editor_client,
        film,
        synopsis="Rewritten.",
        **{f"{prefix}-DELETE": "on"},
    )
    make_credit(film=film, person=park, character="Choi")  # added since
    first = revisions(film)[0]

    shown = restore(editor_client, film, first)
    assert shown.context["adminform"].form["synopsis"].value() == (
        "A scientist and a robot."
    )
    film.refresh_from_db()
    assert film.synopsis == "A scientist and a robot."
    assert sorted(str(c) for c in Credit.objects.filter(film=film)) == [
        "Kang Soo-yeon as Yun Seo-hyun in Jung_E",
        "Kim Hyun-joo as Yun Jung-yi in Jung_E",
    ]
    versions = revisions(film)
    assert len(versions) == 3  # the restore is a new revision; none is lost
    assert versions[-1].revision.get_comment().startswith("Restored the revision of")
    assert versions[-1].revision.user.username == "editor"


def test_only_editors_who_may_change_films_compare_or_restore(client, film_with_cast):
    film, kim, kang = film_with_cast
    client.force_login(staff("editor", "Editors"))
    save(client, film)
    save(client, film, synopsis="Changed.")
    old, new = revisions(film)
    compare = admin_url(film, f"history/compare/?from={old.pk}&to={new.pk}")
    restore_url = admin_url(film, f"history/{old.pk}/")
    client.force_login(User.objects.create_user("intern", is_staff=True))
    assert client.get(compare).status_code == 403
    assert client.get(restore_url).status_code == 403
    client.logout()
    assert client.get(compare)["Location"].startswith("/admin/login/")


def test_a_restore_gives_stills_their_words_back_and_never_their_files(
    editor_client,
):
    """A still's caption comes back; a still added since stays, and one
    deleted since is not brought back (its files are gone)."""
    film = make_film(title="Jung_E")
    kept = make_still(film, caption="The laboratory")
    gone = make_still(film, caption="The robot head")
    save(editor_client, film)
    first = revisions(film)[0]
    Still.objects.filter(pk=kept.pk).update(caption="Renamed")
    gone.delete()
    added = make_still(film, caption="Added since")

    shown = restore(editor_client, film, first)
    assert any(
        "was deleted, with its files" in str(m) for m in shown.context["messages"]
    )
    assert sorted(
        Still.objects.filter(film=film).values_list("caption", flat=True)
    ) == [
        "Added since",
        "The laboratory",
    ]
    kept.refresh_from_db()
    assert kept.image.name and kept.renditions
    assert Still.objects.filter(pk=added.pk).exists()


def test_restoring_a_person_brings_back_their_name_variants(editor_client):
    person = make_person(name="Ryu Kyung-soo", biography="Actor.")
    PersonNameVariant.objects.create(person=person, name="Ryoo Kyung-soo")
    save(editor_client, person)
    PersonNameVariant.objects.filter(person=person).delete()
    save(editor_client, person, biography="Actor and singer.")
    first, second = revisions(person)
    response = editor_client.get(
        admin_url(person, "history/compare/"), {"from": first.pk, "to": second.pk}
    )
    (variants,) = response.context["rows"]
    assert variants.removed == ["Ryoo Kyung-soo"]

    restore(editor_client, person, first)
    person = Person.objects.get(pk=person.pk)
    assert person.biography == "Actor."
    assert [v.name for v in person.name_variants.all()] == ["Ryoo Kyung-soo"]
    assert len(revisions(person)) == 3


def test_a_film_saved_outside_the_admin_has_no_revision_and_no_history_error(
    editor_client,
):
    film = make_film()
    assert revisions(film) == []
    page = editor_client.get(admin_url(film, "history/"))
    assert page.status_code == 200
    assert "No revisions yet" in page.content.decode()
    assert Film.objects.count() == 1


def test_the_history_still_shows_what_was_logged_before_revisions(editor_client):
    film = make_film()
    LogEntry.objects.log_actions(
        User.objects.get(username="editor").pk, [film], CHANGE, "Fixed the year."
    )
    save(editor_client, film, synopsis="Now with a synopsis.")
    page = editor_client.get(admin_url(film, "history/")).content.decode()
    assert "Changed Synopsis." in page
    earlier = page.split("Earlier changes")[1]
    assert "Fixed the year." in earlier
    assert "Changed Synopsis." not in earlier


def test_a_credit_whose_person_is_gone_is_left_out_of_a_restore(
    editor_client, film_with_cast
):
    """The rest of the revision comes back, and the editor is told what did not."""
    film, kim, kang = film_with_cast
    save(editor_client, film)
    first = revisions(film)[0]
    Credit.objects.filter(person=kang).delete()
    kang.delete()
    Film.objects.filter(pk=film.pk).update(synopsis="Changed since.")

    shown = restore(editor_client, film, first)
    warnings = [str(m) for m in shown.context["messages"]]
    assert any("its person was deleted" in text for text in warnings)
    film.refresh_from_db()
    assert film.synopsis == "A scientist and a robot."
    assert [str(c) for c in film.credits.all()] == [
        "Kim Hyun-joo as Yun Jung-yi in Jung_E"
    ]
