""" "Add stills" in a real browser: the script sends each file on its own with a
progress bar, reports a refused file beside its name, then saves the film, with
the site's Content Security Policy in force."""

import pytest

from catalog.models import Still
from tests.browser.test_pages import COLLECT_CSP_VIOLATIONS_JS, CSP_LISTENER_JS
from tests.factories import image_bytes, make_film

pytestmark = pytest.mark.browser


def jpeg(name: str, data: bytes | None = None) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": data or image_bytes()}


@pytest.fixture
def admin_tab(browser, live_server, transactional_db, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER_JS)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def test_add_stills_sends_each_file_with_a_progress_bar(admin_tab, live_server):
    film = make_film(title="Jung_E", slug="jung-e")
    tab = admin_tab
    tab.goto(f"{live_server.url}/admin/catalog/film/{film.pk}/change/")
    broken = image_bytes(800, 600)
    tab.set_input_files(
        "input[name=new_stills]",
        [
            jpeg("first.jpg"),
            jpeg("cut.jpg", broken[: len(broken) // 2]),
            jpeg("third.jpg"),
        ],
    )
    tab.fill("#id_new_stills_alt_text", "On the laboratory set")
    tab.click("input[name=_continue]")

    summary = tab.locator(".upload-summary")
    summary.filter(has_text="2 of 3 saved").wait_for()
    assert tab.locator(".upload-list progress").count() == 3
    failed = tab.locator(".upload-list__item--failed")
    assert failed.count() == 1
    assert "“cut.jpg” is damaged or incomplete" in failed.inner_text()
    assert Still.objects.filter(film=film).count() == 2
    # Only the refused file is still chosen.
    chosen = tab.eval_on_selector(
        "input[name=new_stills]", "input => [...input.files].map(f => f.name)"
    )
    assert chosen == ["cut.jpg"]

    # A good file instead: sent, then the film itself is saved.
    tab.set_input_files("input[name=new_stills]", [jpeg("second.jpg")])
    with tab.expect_navigation():
        tab.click("input[name=_continue]")
    assert "was changed successfully" in tab.locator(".messagelist").inner_text()
    stills = list(Still.objects.filter(film=film))
    assert [still.position for still in stills] == [1, 2, 3]

    violations = tab.evaluate(COLLECT_CSP_VIOLATIONS_JS) or []
    assert not [v for v in violations if "script-src" in v or "bulk-upload" in v]
