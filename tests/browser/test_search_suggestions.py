"""Suggestions appear under a search box as a visitor types, and the keyboard
reaches them, with the site's own Content Security Policy in force."""

import pytest

pytestmark = pytest.mark.browser

SUGGESTIONS = "#site-search-q-suggestions"


@pytest.fixture
def tab(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site_url + "/")
    yield page
    context.close()


def test_typing_another_spelling_suggests_the_person(tab):
    tab.fill("#site-search-q", "kang sooyeon")
    link = tab.locator(f"{SUGGESTIONS} a").first
    link.wait_for()
    assert link.get_attribute("href") == "/people/kang-soo-yeon/"
    assert "Kang Soo-yeon" in link.inner_text()
    status = tab.locator(".site-search [role=status]")
    assert status.inner_text().startswith("1 suggestion")


def test_a_character_suggests_the_actor_and_says_why(tab):
    tab.fill("#site-search-q", "jung yi")
    link = tab.locator(f"{SUGGESTIONS} a[href='/people/kim-hyun-joo/']")
    link.wait_for()
    assert "as Yun Jung-yi in Jung_E" in link.inner_text()


def test_the_keyboard_walks_the_suggestions_and_follows_one(tab, site_url):
    tab.fill("#site-search-q", "jung")
    tab.locator(f"{SUGGESTIONS} a").first.wait_for()
    tab.keyboard.press("ArrowDown")
    focused = tab.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "/films/jung-e/"
    tab.keyboard.press("ArrowUp")
    assert tab.evaluate("document.activeElement.id") == "site-search-q"
    tab.keyboard.press("ArrowDown")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url == site_url + "/films/jung-e/"


def test_escape_closes_the_suggestions_and_enter_searches(tab, site_url):
    tab.fill("#site-search-q", "jung")
    panel = tab.locator(".site-search .search-suggestions")
    panel.locator("a").first.wait_for()
    tab.keyboard.press("Escape")
    assert panel.is_hidden()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url == site_url + "/search/?q=jung"
