import datetime
import time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from reversion.models import Version

from core.revisions import DIFF_MAX_LINES, text_diff
from news.models import Article
from permalinks.models import OldSlug
from tests.factories import make_article, make_author
from tests.news.test_admin import ADD, article_form, form_errors, staff
from tests.pages import posted_back

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def writer_client(client):
    client.force_login(staff("writer", "Writers"))
    return client


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", "Editors"))
    return client


def change_url(article: Article) -> str:
    return f"/admin/news/article/{article.pk}/change/"


def history_url(article: Article) -> str:
    return f"/admin/news/article/{article.pk}/history/"


def revisions(article: Article) -> list[Version]:
    """The article's versions, oldest first."""
    return list(Version.objects.get_for_object(article).order_by("pk"))


def comments(article: Article) -> list[str]:
    return [version.revision.get_comment() for version in revisions(article)]


def save(client, article: Article, **changes) -> None:
    """Open the article's change form and save it with `changes`."""
    response = client.post(
        change_url(article), posted_back(client.get(change_url(article)), **changes)
    )
    assert response.status_code == 302, form_errors(response)


def compare(client, article: Article, old: Version, new: Version):
    return client.get(f"{history_url(article)}compare/", {"from": old.pk, "to": new.pk})


def test_every_admin_save_keeps_a_revision_with_its_author_and_message(
    editor_client,
):
    """Adding and changing an article each keep a revision saying who and what."""
    response = editor_client.post(ADD, article_form(headline="First headline"))
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    save(editor_client, article, headline="Second headline")

    versions = revisions(article)
    assert [v.revision.user.username for v in versions] == ["editor", "editor"]
    assert comments(article) == ["Added.", "Changed Headline."]
    assert versions[1].revision.date_created >= versions[0].revision.date_created
    assert versions[1].field_dict["headline"] == "Second headline"


def test_the_revision_holds_the_byline(editor_client):
    article = make_article(status="draft")
    author = make_author(name="Ahn Ji-won")
    save(
        editor_client,
        article,
        **{"bylines-0-author": str(author.pk), "bylines-0-position": "0"},
    )
    held = Version.objects.filter(revision=revisions(article)[0].revision)
    assert "Ahn Ji-won on" in " ".join(version.object_repr for version in held)


def test_the_history_lists_the_revisions_with_compare_and_restore(editor_client):
    article = make_article(status="draft", headline="First")
    save(editor_client, article, headline="Second")
    save(editor_client, article, standfirst="Now with a standfirst")

    page = editor_client.get(history_url(article)).content.decode()
    assert page.count('name="from"') == 2
    assert "Changed Headline." in page
    assert "Changed Standfirst." in page
    assert "Compare the chosen revisions" in page
    old = revisions(article)[0]
    assert f"/admin/news/article/{article.pk}/history/{old.pk}/" in page


def test_the_comparison_shows_changed_fields_and_the_body_as_a_text_diff(
    editor_client,
):
    article = make_article(status="draft", headline="Old headline")
    save(editor_client, article, body="One.\n\nTwo.\n\nThree.")
    save(
        editor_client,
        article,
        headline="New headline",
        body="One.\n\nTwo, rewritten.\n\nThree.",
        kind="feature",
    )
    old, new = revisions(article)

    response = compare(editor_client, article, old, new)
    assert response.status_code == 200
    changes = {change.label: change for change in response.context["changes"]}
    assert (changes["Headline"].old, changes["Headline"].new) == (
        "Old headline",
        "New headline",
    )
    assert (changes["Kind"].old, changes["Kind"].new) == ("News", "Feature")
    diff = changes["Body"].diff
    assert ("removed", "-Two.") in diff
    assert ("added", "+Two, rewritten.") in diff
    assert ("same", " Three.") in diff
    html = response.content.decode()
    assert '<li class="added">+Two, rewritten.</li>' in html


def test_the_comparison_escapes_what_editors_typed(editor_client):
    article = make_article(status="draft", headline="Plain")
    save(editor_client, article, body="Fine.")
    save(
        editor_client,
        article,
        headline="<script>alert('headline')</script>",
        body="<script>alert('body')</script>",
    )
    old, new = revisions(article)
    html = compare(editor_client, article, old, new).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;headline&#x27;)&lt;/script&gt;" in html
    assert "+&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in html


def test_only_staff_who_may_change_the_article_compare(client):
    """Visitors are sent to log in; a writer may not compare a published
    article (they cannot change it), nor may staff without permissions."""
    article = make_article(status="draft", headline="First")
    editor = staff("editor", "Editors")
    client.force_login(editor)
    save(client, article, headline="Second")
    save(
        client,
        article,
        status="published",
        published_at_0="2023-01-10",
        published_at_1="09:00:00",
    )
    old, new = revisions(article)
    url = f"{history_url(article)}compare/?from={old.pk}&to={new.pk}"

    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(staff("writer", "Writers"))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.create_user("intern", is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_comparing_needs_two_revisions_of_this_article(editor_client):
    article = make_article(status="draft")
    other = make_article(status="draft")
    save(editor_client, article, headline="Changed")
    save(editor_client, other, headline="Changed too")
    mine, theirs = revisions(article)[0], revisions(other)[0]
    url = f"{history_url(article)}compare/"
    assert editor_client.get(url, {"from": "x", "to": mine.pk}).status_code == 400
    assert editor_client.get(url, {"to": mine.pk}).status_code == 400
    response = editor_client.get(url, {"from": theirs.pk, "to": mine.pk})
    assert response.status_code == 404
    response = editor_client.get(url, {"from": 10**30, "to": mine.pk})
    assert response.status_code == 404
    assert editor_client.get(f"{history_url(article)}{10**30}/").status_code == 404


def test_a_long_body_diff_is_quick_and_cut_short():
    """Two 300,000-character bodies differing all through give a capped diff."""
    old = "\n".join(f"Paragraph {n}, the first draft of it." for n in range(8000))
    new = "\n".join(f"Paragraph {n}, the second draft of it." for n in range(8000))
    assert len(old) > 300_000
    started = time.perf_counter()
    diff = text_diff(old, new)
    assert time.perf_counter() - started < 5
    assert len(diff) == DIFF_MAX_LINES + 1
    assert diff[-1][0] == "cut"
    one_line = text_diff("x" * 300_000, "y" * 300_000)
    assert max(len(line) for _kind, line in one_line) <= 500


# Publication


def test_publish_now_and_unpublish_are_revisions(editor_client):
    """The bulk actions keep a revision of each article they change."""
    first = make_article(status="draft")
    second = make_article(status="draft")
    editor_client.post(
        "/admin/news/article/",
        {"action": "publish_now", "_selected_action": [first.pk, second.pk]},
    )
    editor_client.post(
        "/admin/news/article/", {"action": "unpublish", "_selected_action": [first.pk]}
    )
    assert comments(first) == ["Published.", "Unpublished."]
    assert comments(second) == ["Published."]
    published = revisions(first)[0]
    assert published.field_dict["status"] == "published"
    assert published.revision.user.username == "editor"
    assert revisions(first)[1].field_dict["status"] == "draft"


def test_a_save_that_publishes_schedules_or_unpublishes_says_so(editor_client):
    article = make_article(status="draft", headline="Coming")
    later = timezone.localtime(timezone.now() + 48 * HOUR)
    save(
        editor_client,
        article,
        status="published",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="10:00:00",
    )
    save(
        editor_client,
        article,
        published_at_0=(later - 72 * HOUR).strftime("%Y-%m-%d"),
        published_at_1="10:00:00",
    )
    save(editor_client, article, status="draft")
    scheduled, published, unpublished = comments(article)
    assert scheduled == (
        f"Scheduled for {later.strftime('%-d %b %Y')}, 10:00. "
        "Changed Status and Publication time."
    )
    assert published.startswith("Published. Changed Publication time.")
    assert unpublished.startswith("Unpublished. Changed Status.")


# Restoring


def test_restoring_is_a_new_revision_and_the_history_keeps_all(editor_client):
    article = make_article(status="draft", headline="Original", standfirst="Old")
    save(editor_client, article, headline="Rewritten", standfirst="New")
    save(editor_client, article, headline="Rewritten again")
    first = revisions(article)[0]
    url = f"{history_url(article)}{first.pk}/"

    form = editor_client.get(url)
    assert form.status_code == 200
    assert form.context["adminform"].form["headline"].value() == "Rewritten"
    article.refresh_from_db()
    assert article.headline == "Rewritten again"  # showing it changes nothing

    response = editor_client.post(url, posted_back(form))
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == ("Rewritten", "New")
    assert len(revisions(article)) == 3
    assert comments(article)[-1].startswith("Restored the revision of ")


def test_a_restore_keeps_the_stale_edit_guard_and_the_old_address(editor_client):
    """The restored article's version moves on (a form opened before the
    restore is refused), and its current slug keeps leading to it."""
    article = make_article(status="draft", slug="first-slug")
    save(editor_client, article)
    save(editor_client, article, slug="second-slug", headline="Second")
    stale = posted_back(editor_client.get(change_url(article)), headline="Stale")
    first = revisions(article)[0]
    url = f"{history_url(article)}{first.pk}/"
    response = editor_client.post(url, posted_back(editor_client.get(url)))
    assert response.status_code == 302, form_errors(response)

    article.refresh_from_db()
    assert article.slug == "first-slug"
    assert OldSlug.objects.filter(slug="second-slug", object_id=article.pk).exists()
    refused = editor_client.post(change_url(article), stale)
    assert refused.status_code == 200
    assert "Someone else changed this article" in refused.content.decode()


def test_restoring_one_article_of_a_bulk_publication_leaves_the_others(
    editor_client,
):
    first = make_article(status="draft", headline="First")
    second = make_article(status="draft", headline="Second")
    editor_client.post(
        "/admin/news/article/",
        {"action": "publish_now", "_selected_action": [first.pk, second.pk]},
    )
    editor_client.post(
        "/admin/news/article/",
        {"action": "unpublish", "_selected_action": [first.pk, second.pk]},
    )
    published = revisions(first)[0]
    url = f"{history_url(first)}{published.pk}/"
    response = editor_client.post(url, posted_back(editor_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Article.Status.PUBLISHED
    assert second.status == Article.Status.DRAFT
    assert comments(first)[-1].startswith("Restored the revision of ")
    assert comments(first)[-1].endswith(". Published.")


def test_a_writer_cannot_restore_a_published_article(writer_client):
    article = make_article(status="draft")
    writer_client.post(
        change_url(article),
        posted_back(writer_client.get(change_url(article)), headline="Mine"),
    )
    Article.objects.filter(pk=article.pk).update(
        status="published", published_at=timezone.now()
    )
    draft_version = revisions(article)[0]
    url = f"{history_url(article)}{draft_version.pk}/"
    assert writer_client.get(url).status_code == 403
    assert writer_client.post(url, {}).status_code == 403


def test_an_editor_can_add_a_note_to_the_revision(editor_client):
    """The note follows the admin's message and is shown escaped."""
    article = make_article(status="draft")
    save(editor_client, article, headline="Kim, not Lee", revision_note="<b>Typo</b>")
    assert comments(article) == ["Changed Headline. Note: <b>Typo</b>"]
    page = editor_client.get(history_url(article)).content.decode()
    assert "Changed Headline. Note: &lt;b&gt;Typo&lt;/b&gt;" in page
