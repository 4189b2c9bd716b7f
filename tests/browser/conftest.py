"""Tools for the browser checks: the Nu Html Checker, axe-core and Chromium.

Each check needs tools from outside PyPI (Java, Debian's Chromium, two npm
packages). Where one is missing the checks are skipped with a plain reason, except
under REQUIRE_BROWSER=1 (set by CI), where a missing tool fails the run: CI must
never pass by skipping them.
"""

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from django.core.management import call_command

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PROJECT_DIR = Path(__file__).resolve().parents[2]
VNU_JAR = PROJECT_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def require_tool(reason: str) -> NoReturn:
    """Skip the calling test because a tool is missing; fail under REQUIRE_BROWSER=1."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"browser checks cannot run (REQUIRE_BROWSER=1): {reason}", pytrace=False
        )
    pytest.skip(f"browser checks skipped: {reason}")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    """The command that runs the Nu Html Checker: java on PATH and the npm jar."""
    java = shutil.which("java")
    if java is None:
        require_tool("java not found on PATH (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        require_tool(f"{VNU_JAR.relative_to(PROJECT_DIR)} not found (npm install)")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """The axe-core build that the accessibility checks inject into each page."""
    if not AXE_SCRIPT.is_file():
        require_tool(f"{AXE_SCRIPT.relative_to(PROJECT_DIR)} not found (npm install)")
    return AXE_SCRIPT


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's Chromium, or the one CHROMIUM_PATH names; never Playwright's own."""
    path = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        hint = (
            "apt-get install chromium"
            if path == DEFAULT_CHROMIUM
            else "fix CHROMIUM_PATH or unset it to use /usr/bin/chromium"
        )
        require_tool(f"{path} not found ({hint})")
    return path


# Package scope, not session: both the browser and the environment variable below
# end with the last test of this package, so neither reaches other tests.
@pytest.fixture(scope="package")
def browser(chromium_executable: str) -> Iterator["Browser"]:
    """A headless Chromium driven by Playwright's sync API."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool("playwright not installed (pip install -r requirements-dev.txt)")
    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API keeps an event loop running in this thread, and
        # Django's ORM refuses to run where it sees one (loading the demo data,
        # flushing the database after each test).
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable,
                headless=True,
                args=CHROMIUM_ARGS,
            )
            yield browser
            browser.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """test-artifacts/ (gitignored): screenshots kept for people to look at."""
    path = PROJECT_DIR / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def site_url(live_server, transactional_db, settings, tmp_path) -> str:
    """The live server's address, serving the demo data."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url
