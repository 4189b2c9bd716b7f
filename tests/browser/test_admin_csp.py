"""The staff side obeys the site's Content Security Policy too: no inline style
or script on its pages, for a logged-in superuser and on the login page."""

import pytest
from django.conf import settings
from django.test import Client

from catalog.models import Film, Person
from news.models import Article
from tests.browser.test_pages import (
    COLLECT_CSP_VIOLATIONS_JS,
    CSP_LISTENER_JS,
    fail_if_any,
)

pytestmark = pytest.mark.browser


def violations_on(tab, url: str, problems: list[str]) -> None:
    """Open a page and add its CSP violations (or a wrong status) to problems."""
    console: list[str] = []

    def listener(message):
        if "Content Security Policy" in message.text:
            console.append(message.text)

    tab.on("console", listener)
    try:
        check(tab, url, problems, console)
    finally:
        tab.remove_listener("console", listener)


def check(tab, url: str, problems: list[str], console: list[str]) -> None:
    response = tab.goto(url)
    path = url.split("//", 1)[-1].partition("/")[2]
    if response is None or response.status != 200:
        problems.append(f"/{path}: answered {response and response.status}")
        return
    if "content-security-policy" not in response.headers:
        problems.append(f"/{path}: sent no Content-Security-Policy header")
    found = tab.evaluate(COLLECT_CSP_VIOLATIONS_JS)
    if found is None:
        problems.append(f"/{path}: the CSP listener did not run")
        return
    problems.extend(f"/{path}: {text}" for text in found or console)


def test_admin_pages_obey_the_content_security_policy(browser, site_url, admin_user):
    """Index, change lists with thumbnails, the film and article forms and the
    login page cause no CSP violation."""
    film = Film.objects.get(slug="jung-e")
    article = Article.objects.filter(lead_image__isnull=False).first()
    person = Person.objects.filter(portrait__isnull=False).first()
    # Logged in through a session made here, not the login form, which may
    # ask for more than a password.
    client = Client()
    client.force_login(admin_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(CSP_LISTENER_JS)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site_url}]
        )
        tab = context.new_page()
        for path in [
            "/admin/",
            "/admin/catalog/film/",
            f"/admin/catalog/film/{film.pk}/change/",
            "/admin/catalog/person/",
            f"/admin/catalog/person/{person.pk}/change/",
            "/admin/news/article/",
            f"/admin/news/article/{article.pk}/change/",
            "/admin/catalog/still/",
        ]:
            violations_on(tab, site_url + path, problems)
    finally:
        context.close()

    context = browser.new_context()
    try:
        context.add_init_script(CSP_LISTENER_JS)
        violations_on(context.new_page(), site_url + "/admin/login/", problems)
    finally:
        context.close()
    fail_if_any(problems, "Content-Security-Policy violations in the admin")
