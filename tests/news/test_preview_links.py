"""Preview links: a draft or scheduled article shown to someone without an
account, at an address that expires, can be revoked, and leads to the public
page once the article is out."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article, PreviewLink
from tests.factories import make_article
from tests.news.test_admin import staff
from tests.pages import posted_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", "Editors"))
    return client


@pytest.fixture
def writer_client(client):
    client.force_login(staff("writer", "Writers"))
    return client


@pytest.fixture
def draft():
    return make_article(
        headline="Jung_E: the review under embargo",
        status=Article.Status.DRAFT,
        published_at=None,
    )


def make_link(client, article, **data) -> str:
    """Press "Make link" on the article's change form; the address it shows."""
    response = client.post(
        f"/admin/news/article/{article.pk}/preview-link/",
        {"note": "the distributor", "days": "7", **data},
        follow=True,
    )
    assert response.status_code == 200
    message = " ".join(str(m) for m in response.context["messages"])
    found = re.search(r'href="(/preview/[^"]+/)"', message)
    return found[1] if found else message


def test_someone_without_an_account_reads_the_draft(editor_client, draft):
    address = make_link(editor_client, draft)
    reader = Client()
    page = reader.get(address)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Jung_E: the review under embargo" in html
    assert "Preview." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "no-referrer"
    # Never stored by the page cache: the next reader's page is rendered.
    with CaptureQueriesContext(connection) as queries:
        assert reader.get(address).status_code == 200
    assert len(queries) > 0
    assert "ETag" not in page


def test_the_database_keeps_only_a_digest_of_the_secret(editor_client, draft):
    address = make_link(editor_client, draft)
    secret = address.split("/")[2]
    link = PreviewLink.objects.get()
    assert len(secret) >= 43  # 256 bits
    assert secret not in link.digest
    assert link.note == "the distributor"
    assert link.created_by.username == "editor"


def test_a_revoked_or_expired_link_is_gone(editor_client, draft):
    address = make_link(editor_client, draft)
    link = PreviewLink.objects.get()
    link.revoked = True
    link.save()
    assert Client().get(address).status_code == 404
    link.revoked = False
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    assert Client().get(address).status_code == 404
    assert Client().get("/preview/" + "x" * 43 + "/").status_code == 404


def test_revoking_from_the_change_form_stops_the_link(editor_client, draft):
    address = make_link(editor_client, draft)
    link = PreviewLink.objects.get()
    change = f"/admin/news/article/{draft.pk}/change/"
    form = editor_client.get(change)
    assert "Works" in form.content.decode()
    data = posted_back(form, **{"preview_links-0-revoked": "on"})
    assert editor_client.post(change, data).status_code == 302
    link.refresh_from_db()
    assert link.revoked
    assert Client().get(address).status_code == 404


def test_once_published_the_link_leads_to_the_public_page(editor_client, draft):
    address = make_link(editor_client, draft)
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = Client().get(address)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_a_scheduled_article_can_be_previewed(editor_client):
    scheduled = make_article(
        headline="Out on Friday",
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    page = Client().get(make_link(editor_client, scheduled))
    assert "This article is scheduled for" in page.content.decode()


def test_a_link_lasts_one_to_ninety_days(editor_client, draft):
    for days in ("0", "91", "many"):
        message = make_link(editor_client, draft, days=days)
        assert "from 1 to 90 days" in message
    assert not PreviewLink.objects.exists()


def test_making_a_link_needs_a_post_and_the_right_to_change(client, draft):
    reader = staff("reader", "Writers")
    reader.groups.clear()
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    url = f"/admin/news/article/{draft.pk}/preview-link/"
    assert client.post(url, {"days": "7"}).status_code == 403
    assert not PreviewLink.objects.exists()


def test_a_get_makes_no_link(editor_client, draft):
    url = f"/admin/news/article/{draft.pk}/preview-link/"
    assert editor_client.get(url).status_code == 405


def test_the_button_is_on_drafts_only(editor_client, draft):
    live = make_article()
    assert (
        "Make link"
        in editor_client.get(f"/admin/news/article/{draft.pk}/change/").content.decode()
    )
    assert (
        "Make link"
        not in editor_client.get(
            f"/admin/news/article/{live.pk}/change/"
        ).content.decode()
    )


def test_writers_can_share_their_drafts(writer_client, draft):
    assert make_link(writer_client, draft).startswith("/preview/")


def test_crawlers_are_kept_out(client):
    assert "Disallow: /preview/" in client.get("/robots.txt").content.decode()
