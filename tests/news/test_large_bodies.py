"""Long article texts through the admin, posted as browsers post them: the
request-size limit never refuses a text its cap would take or refuse."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from news.limits import MAX_BODY_LENGTH, MAX_CORRECTION_LENGTH
from news.models import Article
from tests.news.test_admin import ADD, article_form, form_errors, staff

pytestmark = pytest.mark.django_db

SCRIPTS = {
    "korean": "정이",  # 3 bytes a character in UTF-8, 9 percent-encoded
    "emoji": "🎬",  # 4 bytes, 12 percent-encoded: the worst case
    "latin": "Jung_E by Yeon Sang-ho. ",
}


@pytest.fixture
def editor_client(client):
    client.force_login(staff("editor", "Editors"))
    return client


def text_of(length: int, script: str) -> str:
    """`length` characters of `script` in paragraphs of a thousand, with line
    breaks as a browser sends them (CRLF, which the cap counts as one)."""
    characters = list((SCRIPTS[script] * length)[:length])
    for start in range(998, length - 2, 1000):
        characters[start : start + 2] = "\n\n"
    return "".join(characters).replace("\n", "\r\n")


def post(client, data: dict, encoding: str):
    """The article form posted urlencoded (as browsers send a form without a
    file input, like the article's) or multipart (the test client's default)."""
    if encoding == "urlencoded":
        return client.post(
            ADD, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    return client.post(ADD, data)


def textarea(response, name: str) -> str:
    """What the re-rendered form's textarea holds, as the browser reads it."""
    match = re.search(
        rf'<textarea name="{name}"[^>]*>\r?\n(.*?)</textarea>',
        response.content.decode(),
        re.DOTALL,
    )
    assert match, f"no {name} textarea"
    return html.unescape(match[1])


def test_the_article_form_has_no_file_input(editor_client):
    """So browsers send it urlencoded, where characters weigh the most."""
    response = editor_client.get(ADD)
    assert 'enctype="multipart/form-data"' not in response.content.decode()
    assert 'type="file"' not in response.content.decode()


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
@pytest.mark.parametrize("script", SCRIPTS)
def test_a_body_at_the_cap_saves_in_any_script(editor_client, script, encoding):
    """A body of exactly MAX_BODY_LENGTH characters saves, paragraphs and all."""
    body = text_of(MAX_BODY_LENGTH, script)
    response = post(editor_client, article_form(body=body), encoding)
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert len(article.body) == MAX_BODY_LENGTH
    assert article.body == body.replace("\r\n", "\n")
    assert article.body_html.count("<p>") == MAX_BODY_LENGTH // 1000


@pytest.mark.parametrize(
    ("script", "length", "encoding"),
    [
        ("korean", MAX_BODY_LENGTH + 1, "urlencoded"),
        ("emoji", MAX_BODY_LENGTH + 1, "urlencoded"),
        ("latin", MAX_BODY_LENGTH + 1, "urlencoded"),
        ("korean", MAX_BODY_LENGTH + 1, "multipart"),
        ("emoji", MAX_BODY_LENGTH + 1, "multipart"),
        # The case that used to answer a bare 400: 2.6 MiB posted.
        ("korean", 300_000, "urlencoded"),
        # Twice the cap in the heaviest encoding still fits the request limit.
        ("emoji", 2 * MAX_BODY_LENGTH, "urlencoded"),
    ],
)
def test_a_body_over_the_cap_is_a_form_error_with_the_text_kept(
    editor_client, script, length, encoding
):
    """Over the cap, the editor gets the form back with an error and every
    character they typed still in the body field."""
    body = text_of(length, script)
    response = post(editor_client, article_form(body=body), encoding)
    assert response.status_code == 200
    assert f"at most {MAX_BODY_LENGTH} characters" in str(form_errors(response)["body"])
    assert textarea(response, "body") == body
    assert not Article.objects.exists()


def test_a_correction_over_its_cap_is_a_form_error_with_the_text_kept(editor_client):
    correction = text_of(MAX_CORRECTION_LENGTH + 1, "korean")
    response = post(editor_client, article_form(correction=correction), "urlencoded")
    assert response.status_code == 200
    assert f"at most {MAX_CORRECTION_LENGTH} characters" in str(
        form_errors(response)["correction"]
    )
    assert textarea(response, "correction") == correction


def test_the_request_limit_holds_both_texts_twice_over_in_the_worst_encoding():
    """An article with its body and correction at twice their caps in emoji,
    urlencoded, fits, so they are answered with form errors, not refused."""
    data = article_form(
        section="1",
        body="🎬" * (2 * MAX_BODY_LENGTH),
        correction="🎬" * (2 * MAX_CORRECTION_LENGTH),
        standfirst="🎬" * 400,
        headline="🎬" * 200,
    )
    assert len(urlencode(data)) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_post_over_the_request_limit_gets_a_clear_413_page(editor_client, encoding):
    """A post too large to read is answered with a page that says so and tells
    the editor to go back, never a 500 or a bare 400."""
    body = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = post(editor_client, article_form(body=body), encoding)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Too large to save" in page
    assert "Go back in your browser" in page
    assert f"at most {MAX_BODY_LENGTH:,} characters" in page
    assert not Article.objects.exists()


def test_the_413_page_comes_before_the_csrf_check_reads_the_form():
    """With CSRF checks on, as in production, the middleware reads the post
    first; it gets the same page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff("editor", "Editors"))
    client.get(ADD)  # the CSRF cookie, as a browser has it
    data = article_form(
        body="a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        csrfmiddlewaretoken=client.cookies["csrftoken"].value,
    )
    response = client.post(
        ADD, urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Too large to save" in response.content.decode()


def test_other_bad_requests_keep_the_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post("/admin/login/", {f"field{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()
