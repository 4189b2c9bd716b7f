"""Text pasted from elsewhere, made into Markdown that reads as it was pasted.

Editors paste from other sites, press releases and mail. Taken as Markdown, such
text changes: single line breaks are merged, a line starting "1987." becomes a
numbered list item, "#1 on Netflix" a heading, a line above "---" a heading,
an indented line a code block, and stars and underscores become emphasis.
`to_markdown` keeps paragraphs and line breaks, makes the pasted bullets
(•, –, - …) a list, and escapes everything else Markdown would read.

`scraped_tail` and `credit_lines` find what a copy from a web page drags along:
"Recent Posts" blocks, share and navigation links, lists of unrelated
headlines, "(Credit: …)" lines, so that the editor can remove or keep them.
The importers use the same functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import normalise_line_breaks, strip_control_characters

BULLET = re.compile(r"^[•·▪‣◦●○■□–—*-]\s+")
# Characters Python-Markdown (with its tables extension) reads as syntax
# anywhere in a line.
INLINE = re.compile(r"([\\`*_{}\[\]|])")
LINE_START = [
    (re.compile(r"^(\d+)([.)])"), r"\1\\\2"),  # "1987." is not list item 1
    (re.compile(r"^([#>+-])"), r"\\\1"),  # a heading, a quote, a list
    (re.compile(r"^([=~])"), lambda m: f"&#{ord(m[1])};"),  # setext, fences
]
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def to_markdown(text: str) -> str:
    """Pasted plain text as Markdown that renders the way it reads."""
    text = normalise_line_breaks(text)
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = strip_control_characters(text, keep="\n\t").translate(INVISIBLE)
    blocks = re.split(r"\n[ \t\u00a0]*\n", text)
    return "\n\n".join(
        converted for block in blocks if (converted := convert_block(block))
    )


def convert_block(block: str) -> str:
    """One paragraph of the paste: runs of bulleted lines become lists, other
    lines are kept as lines (a hard break between them)."""
    lines = [" ".join(line.split()) for line in block.split("\n")]
    lines = [line for line in lines if line]
    runs: list[tuple[bool, list[str]]] = []
    for line in lines:
        bullet = BULLET.match(line)
        item = escape(line[bullet.end() :]) if bullet else escape(line)
        if runs and runs[-1][0] == bool(bullet):
            runs[-1][1].append(item)
        else:
            runs.append((bool(bullet), [item]))
    return "\n\n".join(
        "\n".join(f"- {item}" for item in items) if listed else "  \n".join(items)
        for listed, items in runs
    )


def escape(line: str) -> str:
    line = INLINE.sub(r"\\\1", line)
    line = line.replace("&", "&amp;").replace("<", "&lt;")
    for pattern, replacement in LINE_START:
        line = pattern.sub(replacement, line, count=1)
    return line


# What a copy from a web page brings along.

BOILERPLATE = re.compile(
    r"^(?:recent posts|related(?: articles| stories| posts| news)?|read more|"
    r"more (?:from|on|stories|news)\b.*|see all(?: photos| images)?|"
    r"(?:share|share this(?: article| story| post)?)(?: on \w+)?|"
    r"tweet|email|print|advertisement|sponsored(?: content)?|"
    r"(?:sign up|subscribe)\b.*|comments?(?: \(\d+\))?|tags?:.*|"
    r"you (?:may|might) also like|trending(?: now)?|most (?:popular|read)|"
    r"follow us\b.*|\+\s?\d+ more|view (?:all|gallery|more)|click here\b.*|"
    r"(?:©|copyright)\b.*|all rights reserved\.?|previous(?: article)?|"
    r"next(?: article)?|back to top|skip to (?:main )?content)$",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"^\(?\s*(?:photo(?:graph)?|image|picture)?\s*(?:credit|courtesy|source)"
    r"(?: of)?\s*[:：].*\)?$|^\(?(?:photo|image)\s*[:：].*\)?$",
    re.IGNORECASE,
)
HEADLINE_RUN = 3  # short lines in a row at the end: a list of other stories


@dataclass(frozen=True)
class Tail:
    """Where the scraped part of a paste starts (a line number, from 0), what
    it holds and why it looks scraped."""

    start: int
    lines: list[str]
    reasons: list[str]


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in normalise_line_breaks(text).split("\n")]


def looks_like_a_headline(line: str) -> bool:
    """A short line that is not a sentence: no closing punctuation."""
    return 0 < len(line) <= 90 and not line.endswith((".", "!", "?", ":", '"', "”"))


def scraped_tail(text: str) -> Tail | None:
    """The end of a paste that looks copied from the page around the story:
    from a boilerplate line ("Recent Posts", "Share", "+45 more"...) on, or a
    closing run of at least three short headline-like lines."""
    lines = _lines(text)
    filled = [n for n, line in enumerate(lines) if line]
    if not filled:
        return None
    start, reasons = None, []
    for n in filled:
        if BOILERPLATE.match(lines[n]):
            start = n
            reasons.append(f"“{lines[n]}” is page furniture, not the story")
            break
    run = []
    for n in reversed(filled):
        if not looks_like_a_headline(lines[n]) or BOILERPLATE.match(lines[n]):
            if run or not BOILERPLATE.match(lines[n]):
                break
            continue
        run.append(n)
    if len(run) >= HEADLINE_RUN and run[-1] != filled[0]:
        if start is None or run[-1] < start:
            start = run[-1]
        reasons.append(f"it ends with {len(run)} short lines that read as headlines")
    if start is None:
        return None
    tail = [line for line in lines[start:] if line]
    return Tail(start=start, lines=tail, reasons=reasons)


def credit_lines(text: str) -> list[str]:
    """Picture credit lines pasted with the text ("(Credit: Netflix)")."""
    return [line for line in _lines(text) if line and CREDIT.match(line)]


def repeats_headline(text: str, headline: str) -> bool:
    """The paste starts with the article's own headline."""
    first = next((line for line in _lines(text) if line), "")
    fold = lambda value: re.sub(r"\W+", " ", value).strip().casefold()  # noqa: E731
    return bool(headline.strip()) and fold(first) == fold(headline)
