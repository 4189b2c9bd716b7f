"""Pasted text keeps its shape: `news.paste.to_markdown` over texts as editors
paste them, rendered by the site's own Markdown pipeline."""

import pytest

from news.paste import credit_lines, repeats_headline, scraped_tail, to_markdown
from news.rendering import render_body

pytestmark = pytest.mark.django_db  # rendering resolves catalog links


def rendered(text: str) -> str:
    return render_body(to_markdown(text)).html


PRESS_RELEASE = """\
Netflix’s “Jung_E” — the new film from Yeon Sang-ho — arrives on January 20.
It stars Kang Soo-yeon (강수연), Kim Hyun-joo and Ryu Kyung-soo.

1987. That was the year Kang won Best Actress at Venice.
#1 on Netflix in 80 countries
Budget: $_unknown_ and *rumoured*
    An indented line that is not code

Cast
---
• Kang Soo-yeon as Yun Seo-hyun
• Kim Hyun-joo as Yun Jung-yi
– Ryu Kyung-soo as Kim Sang-hoon
"""


def test_paragraphs_and_line_breaks_are_kept():
    html = rendered(PRESS_RELEASE)
    assert html.count("<p>") == 3
    assert "January 20.<br>\nIt stars" in html
    assert "Kang Soo-yeon (강수연)" in html


def test_curly_quotes_dashes_and_hangul_pass_through():
    html = rendered(PRESS_RELEASE)
    assert "Netflix’s “Jung_E” — the new film from Yeon Sang-ho" in html


def test_accidental_markdown_is_text():
    html = rendered(PRESS_RELEASE)
    assert "<ol" not in html and "<h1" not in html and "<h2" not in html
    assert "<code" not in html and "<pre" not in html
    assert "<em" not in html and "<strong" not in html and "<hr" not in html
    assert "1987. That was the year" in html
    assert "#1 on Netflix in 80 countries" in html
    assert "$_unknown_ and *rumoured*" in html
    assert "An indented line that is not code" in html
    assert "Cast<br>\n---" in html


def test_pasted_bullets_become_a_list():
    html = rendered(PRESS_RELEASE)
    assert html.count("<li>") == 3
    assert "<li>Kang Soo-yeon as Yun Seo-hyun</li>" in html
    assert "<li>Ryu Kyung-soo as Kim Sang-hoon</li>" in html


@pytest.mark.parametrize(
    "line",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "```",
        "~~~",
        "> not a quote",
        "+ not a list",
        "| not | a table |",
        "=====",
        "Jung_E (2023) | 98 min",
        r"C:\films\jung_e",
    ],
)
def test_each_line_renders_as_typed(line):
    html = rendered(f"Before\n\n{line}\n\nAfter")
    assert "<script" not in html and "href" not in html
    assert "<table" not in html and "<blockquote" not in html and "<ul" not in html
    text = html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert f"<p>{line}</p>" in text


def test_windows_line_breaks_and_invisible_characters_are_cleaned():
    assert to_markdown("One\r\nTwo\u200b\r\n\r\nThree\x07") == "One  \nTwo\n\nThree"


TAIL = """\
The android’s creator is the daughter of the soldier whose brain it copies.

Share
Recent Posts
Netflix reveals its 2023 Korean slate
Busan festival announces jury
Squid Game season two wraps
+45 more
"""


def test_a_scraped_tail_is_found_from_its_first_line():
    tail = scraped_tail(TAIL)
    assert tail.start == 2
    assert tail.lines[0] == "Share"
    assert "+45 more" in tail.lines
    assert any("page furniture" in reason for reason in tail.reasons)


def test_a_closing_list_of_headlines_is_a_tail_without_any_marker():
    text = (
        "Yeon Sang-ho wrote the film for Kang Soo-yeon, who died before its release.\n"
        "\n"
        "Netflix reveals its 2023 Korean slate\n"
        "Busan festival announces jury\n"
        "Squid Game season two wraps\n"
    )
    tail = scraped_tail(text)
    assert tail.start == 2
    assert len(tail.lines) == 3


def test_an_article_of_sentences_has_no_tail():
    text = (
        "Kang Soo-yeon plays the researcher.\n\n"
        "Kim Hyun-joo plays the soldier whose mind is copied.\n\n"
        "Ryu Kyung-soo plays the lab's director, and steals every scene."
    )
    assert scraped_tail(text) is None


def test_credit_lines_are_found():
    text = "The lab at night.\n(Credit: Netflix)\nPhoto: Netflix\nShe said so."
    assert credit_lines(text) == ["(Credit: Netflix)", "Photo: Netflix"]


def test_a_repeated_headline_is_noticed():
    assert repeats_headline(
        "Jung_E gets a teaser!\n\nNetflix has...", "Jung_E gets a teaser"
    )
    assert not repeats_headline("Netflix has released...", "Jung_E gets a teaser")
