"""Every public page type is valid HTML, accessible, fits a phone and obeys its CSP.

The pages are rendered by the live server over the demo data, checked with the Nu
Html Checker and, in headless Chromium, with axe-core. Each test visits every page
and reports all problems at once, page by page.
"""

import json
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class PageType:
    name: str  # names the screenshots and the validated documents
    path: str
    status: int = 200


# Every public page type, once: a new kind of page is added here and nowhere else.
PAGES = [
    PageType("home", "/"),
    PageType("film-list", "/films/"),
    PageType(
        "film-list-filtered",
        "/films/?year=2023&genre=science-fiction&kind=feature&country=kr",
    ),
    PageType("film-detail", "/films/jung-e/"),
    PageType("film-stills", "/films/jung-e/stills/"),
    PageType("person-list", "/people/"),
    PageType("person-detail-cast", "/people/kang-soo-yeon/"),
    PageType("person-detail-director", "/people/yeon-sang-ho/"),
    PageType("news-list", "/news/"),
    PageType("news-detail", "/news/netflix-releases-jung-e-set-stills/"),
    PageType("review-list", "/reviews/"),
    PageType("review-detail", "/reviews/jung-e-review/"),
    PageType("section-detail", "/sections/film-news/"),
    PageType("author-detail", "/authors/daniel-reyes/"),
    PageType("feeds", "/feeds/"),
    PageType("search-empty", "/search/"),
    PageType("search-results", "/search/?q=seo-hyeon"),
    PageType("search-nothing", "/search/?q=zzyzx"),
    PageType("not-found", "/films/no-such-film/", status=404),
]

PHONE_WIDTH = 360
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    # is_mobile makes Chromium honour <meta name="viewport"> as a phone does.
    "phone": {
        "viewport": {"width": PHONE_WIDTH, "height": 740},
        "is_mobile": True,
        "has_touch": True,
    },
}

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
MAX_NODES_LISTED = 8

# What sticks out past the right edge of the screen: the outermost elements whose
# box does, and the elements whose text does (a long word in a box that fits).
OVERFLOWING_ELEMENTS_JS = """
width => {
  const past = rect => rect.right > width + 0.5;
  const found = new Map();  // element => how far right it or its text reaches
  for (const el of document.querySelectorAll("body *")) {
    const rect = el.getBoundingClientRect();
    if (past(rect) && !past(el.parentElement.getBoundingClientRect())) {
      found.set(el, rect.right);
    }
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (texts.nextNode()) {
    range.selectNodeContents(texts.currentNode);
    const rect = range.getBoundingClientRect();
    const el = texts.currentNode.parentElement;
    if (past(rect) && !found.has(el)) found.set(el, rect.right);
  }
  return Array.from(found).slice(0, 5).map(([el, right]) =>
    el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + Array.from(el.classList, c => "." + c).join("")
    + ` (reaches ${Math.round(right)} px)`);
}
"""

# Text that runs out of the box it belongs to (the nearest block), into what
# stands beside it: a caption over the next column, a word past a card. Text
# inside an element that clips or scrolls (visually hidden labels, the stills
# strip) is meant to be cut or scrolled, so it is left out.
TEXT_OUT_OF_ITS_BOX_JS = """
() => {
  const clipped = el => {
    for (; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).overflowX !== "visible") return true;
    }
    return false;
  };
  const found = [];
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (texts.nextNode() && found.length < 5) {
    const node = texts.currentNode;
    if (!node.textContent.trim() || clipped(node.parentElement)) continue;
    range.selectNodeContents(node);
    const text = range.getBoundingClientRect();
    if (!text.width) continue;
    let box = node.parentElement;
    while (getComputedStyle(box).display.startsWith("inline")) box = box.parentElement;
    const edges = box.getBoundingClientRect();
    if (text.right > edges.right + 1 || text.left < edges.left - 1) {
      const el = node.parentElement;
      found.push(
        el.tagName.toLowerCase() + Array.from(el.classList, c => "." + c).join("")
        + ` ("${node.textContent.trim().slice(0, 30)}")`
        + ` reaches ${Math.round(text.right)} px,`
        + ` its box ends at ${Math.round(edges.right)} px`);
    }
  }
  return found;
}
"""

# Runs before any of the page's own scripts, in every document of the context.
CSP_LISTENER_JS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "(no URI)"}`
    + ` at ${e.sourceFile || "the document"}:${e.lineNumber}`
    + (e.sample ? ` near "${e.sample}"` : "")
  );
});
"""
# Violations are reported in a task after the one that caused them.
COLLECT_CSP_VIOLATIONS_JS = """
() => new Promise(resolve => setTimeout(() => resolve(window.__cspViolations), 50))
"""


def fetch(url: str) -> tuple[int, bytes]:
    """GET a page: its status and body, error pages included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def open_tab(
    browser: "Browser", viewport: str, *, bypass_csp: bool = False
) -> Iterator["Page"]:
    """A tab in a fresh browser context at one of VIEWPORTS."""
    context = browser.new_context(**VIEWPORTS[viewport], bypass_csp=bypass_csp)
    try:
        yield context.new_page()
    finally:
        context.close()


def visit(
    tab: "Page", site_url: str, page: PageType, problems: list[str]
) -> "Response | None":
    """Open a page: its response, or None (noted in problems) for a wrong status."""
    response = tab.goto(site_url + page.path)
    status = response.status if response else None
    if status != page.status:
        problems.append(f"{page.path}: answered {status}, expected {page.status}")
        return None
    return response


def fail_if_any(problems: list[str], what: str) -> None:
    """Fail the test with every problem found, one a line."""
    if problems:
        pytest.fail(f"{what}:\n" + "\n".join(problems), pytrace=False)


def test_pages_are_valid_html(vnu_command, site_url, tmp_path):
    """The Nu Html Checker finds no errors in any page type."""
    problems = []
    documents: dict[str, PageType] = {}
    for page in PAGES:
        status, body = fetch(site_url + page.path)
        if status != page.status:
            problems.append(f"{page.path}: answered {status}, expected {page.status}")
            continue
        (tmp_path / f"{page.name}.html").write_bytes(body)
        documents[f"{page.name}.html"] = page

    if documents:
        # One run for all documents: starting the JVM is most of a run's time.
        result = subprocess.run(
            [
                *vnu_command,
                "--errors-only",
                "--format",
                "json",
                "--stdout",
                *(str(tmp_path / name) for name in documents),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        try:
            messages = json.loads(result.stdout)["messages"]
        except (ValueError, KeyError):
            pytest.fail(
                f"the Nu Html Checker did not run (exit {result.returncode}):\n"
                f"{result.stderr}{result.stdout}",
                pytrace=False,
            )
        for message in messages:
            url = message.get("url", "")
            page = documents.get(url.rsplit("/", 1)[-1])
            where = page.path if page else url or "?"
            line = message.get("lastLine", "?")
            extract = " ".join(message.get("extract", "").split())
            near = f'  [near "{extract}"]' if extract else ""
            problems.append(f"{where} line {line}: {message.get('message')}{near}")
    fail_if_any(problems, "Nu Html Checker errors")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_have_no_accessibility_violations(
    browser, axe_script, artifacts_dir, site_url, viewport
):
    """axe-core finds no WCAG 2.2 A/AA violations on any page type at this width.

    Also saves a screenshot of each page into test-artifacts/.
    """
    problems = []
    # axe is injected as an inline script, which the site's own CSP would block.
    with open_tab(browser, viewport, bypass_csp=True) as tab:
        for page in PAGES:
            if visit(tab, site_url, page, problems) is None:
                continue
            tab.screenshot(
                path=artifacts_dir / f"{page.name}-{viewport}.png", full_page=True
            )
            tab.add_script_tag(path=axe_script)
            results = tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            for violation in results["violations"]:
                nodes = violation["nodes"]
                problems.append(
                    f"{page.path} [{viewport}] {violation['id']} "
                    f"({violation['impact']}): {violation['help']}"
                )
                problems.extend(
                    f"    {' '.join(map(str, node['target']))}"
                    for node in nodes[:MAX_NODES_LISTED]
                )
                if len(nodes) > MAX_NODES_LISTED:
                    problems.append(f"    ... and {len(nodes) - MAX_NODES_LISTED} more")
    fail_if_any(problems, f"axe-core violations at {viewport} width")


def test_pages_fit_a_phone_screen(browser, site_url):
    """On a 360 px wide phone no page type scrolls sideways."""
    problems = []
    with open_tab(browser, "phone") as tab:
        for page in PAGES:
            if visit(tab, site_url, page, problems) is None:
                continue
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > PHONE_WIDTH:
                culprits = tab.evaluate(OVERFLOWING_ELEMENTS_JS, PHONE_WIDTH)
                problems.append(
                    f"{page.path}: {width} px wide; sticking out: "
                    + (", ".join(culprits) or "(no element found)")
                )
    fail_if_any(problems, f"pages wider than {PHONE_WIDTH} px")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_text_stays_inside_its_box(browser, site_url, viewport):
    """No caption, name or title runs out of its column into the next one."""
    problems = []
    with open_tab(browser, viewport) as tab:
        for page in PAGES:
            if visit(tab, site_url, page, problems) is None:
                continue
            problems.extend(
                f"{page.path}: {culprit}"
                for culprit in tab.evaluate(TEXT_OUT_OF_ITS_BOX_JS)
            )
    fail_if_any(problems, f"text outside its box at {viewport} width")


def test_pages_obey_their_content_security_policy(browser, site_url):
    """With the site's CSP enforced, no page type causes a CSP violation."""
    problems = []
    console: list[str] = []
    with open_tab(browser, "desktop") as tab:
        tab.context.add_init_script(CSP_LISTENER_JS)
        tab.on(
            "console",
            lambda message: (
                console.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        for page in PAGES:
            console.clear()
            response = visit(tab, site_url, page, problems)
            if response is None:
                continue
            if "content-security-policy" not in response.headers:
                problems.append(f"{page.path}: sent no Content-Security-Policy header")
            violations = tab.evaluate(COLLECT_CSP_VIOLATIONS_JS)
            if violations is None:
                problems.append(f"{page.path}: the CSP listener did not run")
                continue
            # The console says the same in prose; it is the fallback.
            problems.extend(f"{page.path}: {text}" for text in violations or console)
    fail_if_any(problems, "Content-Security-Policy violations")
