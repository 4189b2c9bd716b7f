from html.parser import HTMLParser

import pytest

from news.rendering import (
    ALLOWED_TAGS,
    MAX_BODY_LENGTH,
    MAX_INLINE_TEXT,
    render_body,
    sanitise_html,
    strip_control_characters,
)
from tests.factories import make_film, make_person

EXTERNAL_REL = "noopener noreferrer nofollow"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(body_html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag in the HTML with its (decoded) attributes."""
    parser = _Elements()
    parser.feed(body_html)
    parser.close()
    return parser.elements


def links(body_html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in elements(body_html) if tag == "a"]


def assert_harmless(body_html: str) -> None:
    """No tag outside the allowlist, no event handler, no dangerous URL."""
    lowered = body_html.lower()
    for needle in ("<script", "<iframe", "<svg", "<img", "<style", "<object"):
        assert needle not in lowered
    for tag, attrs in elements(body_html):
        assert tag in ALLOWED_TAGS
        for name, value in attrs.items():
            assert not name.startswith("on")
            assert name not in ("src", "style")
            if name == "href":
                url = (value or "").strip().lower()
                assert url.startswith(("http:", "https:", "mailto:", "/", "#"))
                assert not url.startswith("//")


# Plain Markdown


def test_plain_markdown_renders():
    """Paragraphs, emphasis and lists come out as the matching HTML."""
    body = render_body("First *one* and **two**.\n\nSecond.\n\n- a\n- b\n\n1. c\n")
    assert body.html == (
        "<p>First <em>one</em> and <strong>two</strong>.</p>\n"
        "<p>Second.</p>\n"
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        "<ol>\n<li>c</li>\n</ol>"
    )
    assert (body.films, body.people, body.missing) == ([], [], [])


def test_fenced_code_shows_markup_as_text():
    """A fenced code block shows a script tag as literal text in pre/code."""
    body = render_body("```html\n<script>alert(1)</script>\n```\n")
    assert body.html == (
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>"
    )


def test_tables_keep_their_alignment():
    """A Markdown table becomes a table with aligned columns."""
    body = render_body("| Film | Year |\n|:--|--:|\n| Jung_E | 2023 |\n")
    assert '<th align="left">Film</th>' in body.html
    assert '<td align="right">2023</td>' in body.html


def test_headings_stay_below_the_headline_without_skipping_levels():
    """Body headings start at h2, so the headline stays the page's only h1 and
    an editor's "##" subheading follows it without a skipped level."""
    body = render_body("# One\n\n## Two\n\n### Three\n\n###### Six\n\nSetext\n===\n")
    assert [tag for tag, _ in elements(body.html)] == ["h2", "h2", "h3", "h4", "h2"]


def test_raw_html_is_shown_as_text():
    """HTML typed into a body is shown as written, not interpreted."""
    body = render_body("Some <b>bold</b> and <!-- a comment -->.")
    assert body.html == (
        "<p>Some &lt;b&gt;bold&lt;/b&gt; and &lt;!-- a comment --&gt;.</p>"
    )


def test_autolinks_still_work():
    """A bare address in angle brackets becomes a link to it."""
    body = render_body("See <https://example.com/a?b=1&c=2>.")
    assert links(body.html) == [
        {"href": "https://example.com/a?b=1&c=2", "rel": EXTERNAL_REL}
    ]


# Catalog links


@pytest.mark.django_db
def test_catalog_links_point_to_catalog_pages():
    """film: and person: links go to the catalog pages and are listed once each."""
    film = make_film(title="Jung_E", slug="jung-e")
    person = make_person(name="Kim Hyun-joo", slug="kim-hyun-joo")
    other = make_film(slug="train-to-busan")
    body = render_body(
        "[Kim Hyun-joo](person:kim-hyun-joo) stars in [Jung_E](film:jung-e), "
        "after [Train to Busan](film:train-to-busan). [Jung_E][je] again.\n\n"
        "[je]: film:jung-e\n"
    )
    assert links(body.html) == [
        {"href": person.get_absolute_url()},
        {"href": film.get_absolute_url()},
        {"href": other.get_absolute_url()},
        {"href": film.get_absolute_url()},
    ]
    assert body.films == [film, other]
    assert body.people == [person]
    assert body.missing == []


@pytest.mark.django_db
def test_missing_references_are_reported_and_unlinked():
    """A link to an unknown slug is reported and its text shown without a link."""
    make_film(slug="jung-e")
    body = render_body(
        "[Nobody](person:nobody) in [Jung_E](film:jung-e) and "
        "[*Lost*](film:lost), [Nobody again](person:nobody)."
    )
    assert body.html.startswith("<p>Nobody in <a href=")
    assert body.html.endswith("and <em>Lost</em>, Nobody again.</p>")
    assert len(links(body.html)) == 1
    assert body.missing == ["person:nobody", "film:lost"]
    assert body.people == []


@pytest.mark.django_db
def test_catalog_links_cost_one_query_per_model(django_assert_num_queries):
    """However many catalog links a body has, resolving them is two queries."""
    for n in range(30):
        make_film(slug=f"film-{n}")
        make_person(slug=f"person-{n}")
    text = " ".join(
        f"[f](film:film-{n}) [p](person:person-{n}) [x](film:gone-{n})"
        for n in range(30)
    )
    # One query for the films, one for the people.
    with django_assert_num_queries(2):
        body = render_body(text)
    assert len(body.films) == 30
    assert len(body.people) == 30
    assert len(body.missing) == 30


@pytest.mark.django_db
def test_bodies_without_catalog_links_cost_no_query(django_assert_num_queries):
    """A body with only ordinary links does not touch the database."""
    with django_assert_num_queries(0):
        render_body("[a](https://example.com) and [b](/films/)")


# Hostile input (reliability cases F40-F45)


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](javascript&amp;#58;alert(1))",
        "[x]( javascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](java\x00script:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x][ref]\n\n[ref]: javascript:alert(1)\n",
        '[x](javascript:alert(1) "title")',
    ],
)
def test_script_links_lose_their_address(text):
    """A link to a script or data URL keeps its text but leads nowhere."""
    body = render_body(text)
    assert "javascript:" not in body.html.lower()
    assert "data:" not in body.html.lower()
    assert [attrs.get("href") for attrs in links(body.html)] == [None]
    assert ">x</a>" in body.html
    assert_harmless(body.html)


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        "<svg><animate onbegin=alert(1)>",
        "<script>alert(1)</script>",
        "<iframe src=//evil>",
        "<object data=x></object><embed src=x>",
        "<style>body{display:none}</style>",
        "<form action=//evil><input name=q></form>",
        '<base href="//evil/">',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<a href=javascript:alert(1)>x</a>",
        "<div>\n<script>alert(1)</script>\n</div>",
    ],
)
def test_html_in_a_body_stays_text(text):
    """Tags typed into a body, however hostile, are shown as text."""
    body = render_body(text)
    assert elements(body.html) == [("p", {})]
    assert_harmless(body.html)


@pytest.mark.parametrize(
    "markup",
    [
        "<img src=x onerror=alert(1)>",
        "<svg><animate onbegin=alert(1)>",
        "<script>alert(1)</script>",
        "<iframe src=//evil></iframe>",
        "<object data=x></object><embed src=x>",
        "<style>p{}</style>",
        "<form><input></form>",
        '<base href="//evil/">',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)" onclick="x()">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<p style="x" class="y">x</p>',
    ],
)
def test_sanitiser_removes_what_markdown_would_never_produce(markup):
    """The sanitiser behind Markdown removes dangerous tags and attributes too."""
    cleaned = sanitise_html(markup)
    assert "onerror" not in cleaned
    assert "alert(1)</script" not in cleaned
    assert "javascript:" not in cleaned
    assert_harmless(cleaned)


@pytest.mark.parametrize(
    "text",
    [
        "![a](data:text/html;base64,PHNjcmlwdD4=)",
        "![a](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
        "[a](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
        "![a](javascript:alert(1))",
        "![a][img]\n\n[img]: data:image/png;base64,AAAA\n",
    ],
)
def test_data_urls_leave_nothing_behind(text):
    """Images and data: URLs leave at most their text, never a source."""
    body = render_body(text)
    assert "data:" not in body.html
    assert_harmless(body.html)
    assert "a" in body.html


def test_images_keep_only_their_alt_text():
    """Body images are not shown; their description stays as text."""
    body = render_body(
        "Look: ![A still from Jung_E](https://example.com/still.jpg) "
        "[![poster](https://example.com/p.jpg)](https://example.com/)"
    )
    assert body.html == (
        "<p>Look: A still from Jung_E "
        f'<a href="https://example.com/" rel="{EXTERNAL_REL}">poster</a></p>'
    )


@pytest.mark.django_db
def test_only_external_links_get_rel():
    """External links are marked nofollow; catalog, site and mail links are not."""
    film = make_film(slug="jung-e")
    body = render_body(
        "[a](https://example.com) [b](http://example.com) [c](film:jung-e) "
        "[d](/news/) [e](#notes) [f](mailto:desk@example.com)"
    )
    assert links(body.html) == [
        {"href": "https://example.com", "rel": EXTERNAL_REL},
        {"href": "http://example.com", "rel": EXTERNAL_REL},
        {"href": film.get_absolute_url()},
        {"href": "/news/"},
        {"href": "#notes"},
        {"href": "mailto:desk@example.com"},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[x](//evil.example/)",
        "[x](/\\evil.example/)",
        "[x](/&#47;evil.example/)",
        "[x](relative/page)",
        "[x](ftp://example.com/)",
        "<javascript://%0Aalert(1)>",
    ],
)
def test_other_addresses_lose_their_address(text):
    """Links that could leave the site unnoticed or use other schemes lead nowhere."""
    body = render_body(text)
    assert [attrs.get("href") for attrs in links(body.html)] == [None]


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n\nSome *text* with [a link](https://example.com/?a=1&b=2).",
        "| a | b |\n|:-:|---|\n| 1 | 2 |\n\n> quote\n\n---\n\n`code`\nbreak  \nline",
        "Ampersands & <angles> &amp; &#60;script&#62; &copy; \"quotes\" 'single'",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "[x](javascript&#58;alert(1)) ![a](data:x) <a@b.example>",
        "```\n<script>alert(1)</script>\n```\n\n    indented <b>code</b>",
        "Hangul 정이, Arabic مرحبا, emoji 🎬",
    ],
)
def test_sanitising_the_output_again_changes_nothing(text):
    """The rendered body is already clean: sanitising it again is a no-op."""
    body = render_body(text)
    assert sanitise_html(body.html) == body.html


# Control characters


def test_control_characters_are_removed():
    """Control characters pasted from Word disappear; tabs and line breaks stay."""
    text = "a\x00b\x0bc\x0cd\x1fe\x7ff\x08g\ufffeh\uffffi\ud800j\tk\nl\rm"
    assert strip_control_characters(text) == "abcdefghij\tk\nl\rm"


def test_other_scripts_and_emoji_are_kept():
    """Hangul, right-to-left text and emoji pass through untouched."""
    text = "정이 (Jung_E) — مرحبا بالعالم — שלום 🎬👩🏽‍🚀 \u200f"
    assert strip_control_characters(text) == text


def test_rendering_strips_control_characters():
    """A body pasted with control characters renders without them."""
    body = render_body("Word\x0b paste\x00 with\x1f junk: 정이 مرحبا 🎬")
    assert body.html == "<p>Word paste with junk: 정이 مرحبا 🎬</p>"


# Pathological input (reliability case F49)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * MAX_BODY_LENGTH, id="open-brackets"),
        pytest.param("![" * (MAX_BODY_LENGTH // 2), id="open-images"),
        pytest.param("*" * MAX_BODY_LENGTH, id="asterisks"),
        pytest.param(
            "[" * (MAX_BODY_LENGTH // 2) + "]" * (MAX_BODY_LENGTH // 2),
            id="nested-brackets",
        ),
        pytest.param(
            "[" * (MAX_BODY_LENGTH // 10) + "a" + "](x)" * (MAX_BODY_LENGTH // 10),
            id="nested-links",
        ),
        pytest.param("[a](" * (MAX_BODY_LENGTH // 4), id="open-destinations"),
        pytest.param(
            "*_" * (MAX_BODY_LENGTH // 4) + "a" + "_*" * (MAX_BODY_LENGTH // 4),
            id="nested-emphasis",
        ),
        pytest.param(
            "\n\n".join(["[" * (MAX_INLINE_TEXT - 1)] * 5), id="bracket-paragraphs"
        ),
        pytest.param("- " * (MAX_BODY_LENGTH // 2), id="nested-list-markers"),
        pytest.param(
            "".join("    " * i + "- x\n" for i in range(300)), id="indented-lists"
        ),
        pytest.param("> - " * (MAX_BODY_LENGTH // 4), id="nested-quotes-and-lists"),
        pytest.param("a\n***\n" * 5_000, id="rules-in-a-paragraph"),
    ],
)
def test_pathological_bodies_render(text):
    """Bodies built to make Markdown slow or recurse still render, as text."""
    body = render_body(text)
    assert body.html
    assert_harmless(body.html)
