import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from tests.factories import (
    make_article,
    make_film,
    make_person,
    make_section,
    make_still,
)
from tests.pages import posted_back

pytestmark = pytest.mark.django_db

ADD = "/admin/news/article/add/"
HOUR = datetime.timedelta(hours=1)


def staff(username: str, group: str) -> User:
    call_command("setup_roles", verbosity=0)
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def writer_client(client):
    client.force_login(staff("writer", "Writers"))
    return client


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", "Editors"))
    return client


def article_form(**fields) -> dict:
    """The POST data of the article admin form."""
    data = {
        "kind": "news",
        "headline": "Teaser trailer out",
        "slug": "teaser-trailer-out",
        "standfirst": "",
        "body": "",
        "section": str(fields.pop("section", None) or make_section().pk),
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "rating": "",
        "verdict": "",
        "correction": "",
        "corrected_at_0": "",
        "corrected_at_1": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        # The preview links listed on a saved article's page (none here).
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
        **fields,
    }
    return data


def change_form(client, article) -> dict:
    """The change form of `article` as the admin would post it back unchanged."""
    response = client.get(f"/admin/news/article/{article.pk}/change/")
    form = response.context["adminform"].form
    data = article_form(
        kind=article.kind,
        headline=article.headline,
        slug=article.slug,
        section=article.section_id,
        status=article.status,
        body=article.body,
        loaded_state=str(form["loaded_state"].value()),
    )
    if article.published_at:
        local = timezone.localtime(article.published_at)
        data["published_at_0"] = local.strftime("%Y-%m-%d")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    return data


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


# Roles


def test_setup_roles_is_repeatable():
    """setup_roles creates the two groups and can run again safely."""
    call_command("setup_roles", verbosity=0)
    call_command("setup_roles", verbosity=0)
    writers = Group.objects.get(name="Writers")
    editors = Group.objects.get(name="Editors")
    assert not writers.permissions.filter(codename="publish_article").exists()
    assert editors.permissions.filter(codename="publish_article").exists()


def test_a_writer_drafts_an_article(writer_client):
    """A writer can create an article; it is saved as a draft."""
    response = writer_client.post(ADD, article_form())
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.get().status == Article.Status.DRAFT


def test_a_writer_cannot_publish_even_by_crafting_the_form(writer_client):
    """Publishing is checked on the server: a writer's post cannot publish."""
    data = article_form(
        status="published", published_at_0="2023-01-10", published_at_1="09:00:00"
    )
    response = writer_client.post(ADD, data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_a_writer_cannot_change_or_publish_published_articles(writer_client):
    """Published and scheduled articles are out of a writer's hands."""
    live = make_article()
    scheduled = make_article(published_at=timezone.now() + HOUR)
    draft = make_article(status="draft")
    for article in (live, scheduled):
        data = change_form(writer_client, draft) | {"headline": "Changed"}
        response = writer_client.post(f"/admin/news/article/{article.pk}/change/", data)
        assert response.status_code == 403
    response = writer_client.post(
        "/admin/news/article/",
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert b"publish_now" not in writer_client.get("/admin/news/article/").content


def test_an_editor_schedules_an_article(editor_client):
    """An editor sets a future time; the article is scheduled, not yet public."""
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    data = article_form(
        status="published",
        published_at_0=tomorrow.strftime("%Y-%m-%d"),
        published_at_1="09:00:00",
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert article.is_scheduled
    assert not Article.objects.published().exists()
    listing = editor_client.get("/admin/news/article/").content.decode()
    assert "<strong>Scheduled</strong> for" in listing


def test_an_editor_publishes_now_and_unpublishes(editor_client):
    """The admin actions publish at once and take articles back to draft."""
    draft = make_article(status="draft")
    scheduled = make_article(published_at=timezone.now() + HOUR)
    editor_client.post(
        "/admin/news/article/",
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]},
    )
    assert set(Article.objects.published()) == {draft, scheduled}
    editor_client.post(
        "/admin/news/article/",
        {"action": "unpublish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


CHANGELIST = "/admin/news/article/"
FEED = "/feeds/latest/"


def act(client, action: str, *articles: Article):
    """Run an action of the article list on the articles, as the list's form
    posts it."""
    response = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [article.pk for article in articles]},
    )
    assert response.status_code == 302
    return response


def settled(**fields) -> Article:
    """An article last saved a day ago, so a change now is a later second."""
    article = make_article(published_at=timezone.now() - 25 * HOUR, **fields)
    Article.objects.filter(pk=article.pk).update(updated=timezone.now() - 24 * HOUR)
    article.refresh_from_db()
    return article


def history(article: Article) -> list[tuple[int, str, str]]:
    """The admin history of the article: (action flag, message, who)."""
    return [
        (entry.action_flag, entry.get_change_message(), entry.user.username)
        for entry in LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(article.pk),
        )
    ]


def test_unpublishing_from_the_list_drops_the_article_from_held_feeds(
    editor_client, settle
):
    """After "Unpublish", a feed reader that sends only the If-Modified-Since it
    was given gets the feed again, without the articles, not 304."""
    reader = Client()
    first = settled(headline="Teaser trailer out")
    second = settled(headline="Festival line-up", section=first.section)
    settle()
    feed = reader.get(FEED)
    assert "Teaser trailer out" in feed.content.decode()
    held = feed["Last-Modified"]
    assert reader.get(FEED, headers={"if_modified_since": held}).status_code == 304

    act(editor_client, "unpublish", first, second)

    response = reader.get(FEED, headers={"if_modified_since": held})
    assert response.status_code == 200
    assert "Teaser trailer out" not in response.content.decode()
    assert "Festival line-up" not in response.content.decode()
    for article in (first, second):
        before = article.updated
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert article.updated > before
        assert history(article) == [(CHANGE, "Unpublished.", "editor")]


def test_publishing_from_the_list_dates_and_records_it(editor_client, client):
    """The "Publish now" action publishes drafts and scheduled articles as of
    now, moves their last change, and notes it in each one's history."""
    draft = settled(status=Article.Status.DRAFT, headline="Teaser trailer out")
    scheduled = settled(headline="Festival line-up")
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() + HOUR)
    held = client.get(FEED)["Last-Modified"]
    started = timezone.now()

    act(editor_client, "publish_now", draft, scheduled)

    for article in (draft, scheduled):
        article.refresh_from_db()
        assert article.is_live
        assert article.published_at >= started
        assert article.updated >= started
        assert history(article) == [(CHANGE, "Published.", "editor")]
    page = editor_client.get(f"/admin/news/article/{draft.pk}/history/")
    assert "Published." in page.content.decode()
    response = client.get(FEED, headers={"if_modified_since": held})
    assert response.status_code == 200
    assert "Teaser trailer out" in response.content.decode()
    assert "Festival line-up" in response.content.decode()


def test_an_action_leaves_articles_it_does_not_change_alone(editor_client):
    """Publishing a live article or unpublishing a draft changes nothing and
    writes no history."""
    live, draft = settled(), settled(status=Article.Status.DRAFT)
    act(editor_client, "publish_now", live)
    act(editor_client, "unpublish", draft)
    for article in (live, draft):
        unchanged = Article.objects.get(pk=article.pk)
        assert (unchanged.status, unchanged.updated, unchanged.version) == (
            article.status,
            article.updated,
            article.version,
        )
        assert history(article) == []


def test_a_form_opened_before_an_action_is_stale(editor_client):
    """An editor who opened the article before someone unpublished it cannot
    save it back over the change."""
    article = settled()
    opened = change_form(editor_client, article) | {"headline": "Edited"}
    act(editor_client, "unpublish", article)
    response = editor_client.post(f"/admin/news/article/{article.pk}/change/", opened)
    assert response.status_code == 200
    assert "Someone else changed this article" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_a_writer_cannot_unpublish(writer_client):
    """Taking an article off the site is an editor's call too."""
    live = settled()
    writer_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [live.pk]}
    )
    live.refresh_from_db()
    assert live.is_live
    assert history(live) == []
    assert b"unpublish" not in writer_client.get(CHANGELIST).content


@pytest.mark.parametrize("action", ["publish_now", "unpublish"])
def test_an_action_costs_the_same_for_3_articles_or_30(editor_client, action):
    """Each action runs the same queries however many articles it changes."""
    status = Article.Status.DRAFT if action == "publish_now" else "published"

    def count(number: int) -> int:
        articles = [settled(status=status) for _ in range(number)]
        with CaptureQueriesContext(connection) as queries:
            act(editor_client, action, *articles)
        assert [len(history(article)) for article in articles] == [1] * number
        return len(queries)

    # Once, so that the log entries' content type is in Django's cache.
    count(1)
    # The admin's 10: the session, the user, their permissions (2), and the
    # list the selection is taken from, whose section and author filters are
    # listed twice (4) and whose rows are counted twice (2). The action's 5: a
    # savepoint around it (2), the articles that change, picked and locked,
    # one UPDATE of them all and one INSERT of all their log entries. Their one
    # revision's 11: savepoints around the change list and around the revision
    # (4), the articles read back with their bylines, films and people (4), the
    # check that they still exist (1), the revision and all its versions (2).
    assert count(3) == count(30) == 26


# Editing safely


def test_a_stale_form_is_refused_and_the_first_change_kept(editor_client):
    """The second of two editors saving the same article is told and refused."""
    article = make_article(status="draft", headline="Original")
    first = change_form(editor_client, article)
    second = change_form(editor_client, article)
    first["headline"] = "First editor's headline"
    second["headline"] = "Second editor's headline"
    url = f"/admin/news/article/{article.pk}/change/"
    assert editor_client.post(url, first).status_code == 302
    response = editor_client.post(url, second)
    assert response.status_code == 200
    assert "Someone else changed this article" in response.content.decode()
    assert "Second editor&#x27;s headline" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "First editor's headline"


def test_an_unknown_catalog_link_is_a_form_error_naming_it(editor_client):
    """A body link to a slug the catalog lacks is refused, naming the slug."""
    make_person(slug="kim-hyun-joo")
    body = "[Kim](person:kim-hyun-joo) meets [Ghost](person:no-such-person)."
    response = editor_client.post(ADD, article_form(body=body))
    assert response.status_code == 200
    assert "person:no-such-person" in str(form_errors(response)["body"])
    assert not Article.objects.exists()


def test_an_over_long_body_is_refused_and_kept_for_the_editor(editor_client):
    """A 300,000-character body gets a clear error and the text is shown again."""
    body = "Long text. " * 27_273
    response = editor_client.post(ADD, article_form(body=body))
    assert response.status_code == 200
    assert "at most 200000 characters" in str(form_errors(response)["body"])
    assert body.strip() in response.content.decode()
    assert not Article.objects.exists()


def test_review_rules_are_form_errors(editor_client):
    """A review without a film, or news with a rating, gets field errors."""
    response = editor_client.post(ADD, article_form(kind="review"))
    assert form_errors(response)["reviewed_film"] == [
        "A review names the film it reviews."
    ]
    response = editor_client.post(
        ADD, article_form(reviewed_film=str(make_film().pk), rating="4.0")
    )
    assert "reviewed_film" in form_errors(response)
    assert "rating" in form_errors(response)


def test_a_taken_slug_is_a_clear_error(editor_client):
    """Two articles cannot share a slug; the editor is told why."""
    make_article(slug="teaser-trailer-out")
    response = editor_client.post(ADD, article_form())
    assert form_errors(response)["slug"] == ["Another article already has this slug."]


def test_body_links_are_recorded_and_missing_about_entries_suggested(editor_client):
    """Saving records the catalog links and suggests marking what is linked."""
    film = make_film(title="Jung_E", slug="jung-e")
    person = make_person(name="Kim Hyun-joo", slug="kim-hyun-joo")
    data = article_form(
        body="[Jung_E](film:jung-e) stars [Kim Hyun-joo](person:kim-hyun-joo).",
        films=[str(film.pk)],
    )
    response = editor_client.post(ADD, data, follow=True)
    article = Article.objects.get()
    assert list(article.linked_films.all()) == [film]
    assert list(article.linked_people.all()) == [person]
    messages = [str(m) for m in response.context["messages"]]
    assert any("Kim Hyun-joo" in m and "not tagged" in m for m in messages)
    assert not any("Jung_E (" in m and "not tagged" in m for m in messages)


# Preview


def test_staff_preview_drafts_never_cached_nor_indexed(editor_client, client):
    """Staff can preview a draft; the preview is not cached or indexed."""
    draft = make_article(status="draft", headline="Embargoed review")
    url = f"/admin/news/article/{draft.pk}/preview/"
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Embargoed review" in response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in (
        response.content.decode()
    )
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    change = editor_client.get(f"/admin/news/article/{draft.pk}/change/")
    assert url in change.content.decode()  # "view on site" goes to the preview


def test_visitors_cannot_preview(client):
    """The preview is for staff: visitors are sent to the login page."""
    draft = make_article(status="draft")
    response = client.get(f"/admin/news/article/{draft.pk}/preview/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_article_changelist_query_count_does_not_grow(admin_client):
    """The article changelist runs the same queries with 3 articles and 100."""

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/admin/news/article/").status_code == 200
        return len(queries)

    for _ in range(3):
        make_article()
    small = count()
    for _ in range(97):
        make_article()
    assert count() == small


# Lead images


def test_a_writer_leads_a_draft_with_a_still_from_the_catalog(writer_client):
    """The still is picked by its caption in an autocomplete and shown with its
    credit on the article's form."""
    film = make_film(title="Jung_E")
    still = make_still(film, caption="The robot head on the floor", credit="Netflix")
    search = writer_client.get(
        "/admin/autocomplete/",
        {
            "term": "robot head",
            "app_label": "news",
            "model_name": "article",
            "field_name": "lead_image",
        },
    )
    assert search.status_code == 200
    assert [r["id"] for r in search.json()["results"]] == [str(still.pk)]

    response = writer_client.post(ADD, article_form(lead_image=str(still.pk)))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.lead_image == still
    page = writer_client.get(f"/admin/news/article/{article.pk}/change/")
    html = page.content.decode()
    assert "The robot head on the floor Image: Netflix" in html
    assert '<img src="/media/images/' in html


def test_the_lead_image_autocomplete_costs_the_same_for_1_still_or_20(writer_client):
    film = make_film(title="Jung_E")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = writer_client.get(
                "/admin/autocomplete/",
                {
                    "term": "set",
                    "app_label": "news",
                    "model_name": "article",
                    "field_name": "lead_image",
                },
            )
        assert response.status_code == 200
        return len(queries)

    make_still(film, caption="On set")
    one = count()
    for n in range(19):
        make_still(make_film(slug=f"other-{n}"), caption=f"On set {n}")
    assert count() == one


def test_deleting_a_still_leaves_its_drafts_without_a_lead_image():
    still = make_still()
    article = make_article(lead_image=still, status=Article.Status.DRAFT)
    still.delete()
    article.refresh_from_db()
    assert article.lead_image is None


def test_a_user_given_a_role_can_log_in_to_the_admin(admin_client):
    """Adding someone to Writers from the user's admin page makes them staff:
    no "Staff status" box to remember."""
    call_command("setup_roles", verbosity=0)
    writer = User.objects.create_user("new-writer", password="a long passphrase 1")
    form = admin_client.get(f"/admin/auth/user/{writer.pk}/change/")
    data = posted_back(form, groups=[str(Group.objects.get(name="Writers").pk)])
    assert (
        admin_client.post(f"/admin/auth/user/{writer.pk}/change/", data).status_code
        == 302
    )
    writer.refresh_from_db()
    assert writer.is_staff
    assert not writer.is_superuser
    reader = Client()
    login = reader.post(
        "/admin/login/?next=/admin/",
        {"username": "new-writer", "password": "a long passphrase 1"},
    )
    assert login.status_code == 302
    assert reader.get("/admin/").status_code == 200


def test_a_role_given_from_the_group_side_makes_staff_too():
    call_command("setup_roles", verbosity=0)
    editor = User.objects.create_user("new-editor")
    Group.objects.get(name="Editors").user_set.add(editor)
    editor.refresh_from_db()
    assert editor.is_staff
    other = User.objects.create_user("member")
    other.groups.add(Group.objects.create(name="Newsletter"))
    other.refresh_from_db()
    assert not other.is_staff
