"""Article bodies: Markdown with catalog links, turned into HTML safe to show."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, AtomicString

from catalog.models import Film, Person
from core.text import strip_control_characters

from .limits import MAX_BODY_LENGTH

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_LINK_REL = "noopener noreferrer nofollow"

# Python-Markdown gets slow (quadratic or worse) on some hostile input. These bound
# the work without changing how any reasonable article renders:
# a run of lines without a blank line between them is cut after this many;
MAX_BLOCK_LINES = 200
# lists and quotes nested deeper than this are kept as plain text;
MAX_NESTING = 16
# a single paragraph, list item or cell longer than this is kept as written;
MAX_INLINE_TEXT = 10_000
# a link's text or destination longer than this is not a link;
MAX_LINK_SCAN = 2_000
# and the search for closing brackets stops after this many characters per body.
LINK_SCAN_BUDGET = 10 * MAX_BODY_LENGTH

_CATALOG_MODELS: dict[str, type[Film] | type[Person]] = {
    "film": Film,
    "person": Person,
}
_CATALOG_PREFIXES = tuple(f"{kind}:" for kind in _CATALOG_MODELS)
# Editors write "##" for a subheading, as on most sites; a stray "#" joins it at
# h2 (the page's h1 is the headline) and the levels below four are folded in.
_DEMOTED_HEADINGS = {"h1": "h2", "h5": "h4", "h6": "h4"}

_CLEANER_OPTIONS = {
    "tags": ALLOWED_TAGS,
    "attributes": ALLOWED_ATTRIBUTES,
    "url_schemes": ALLOWED_URL_SCHEMES,
    "link_rel": None,
    "strip_comments": True,
}
_CLEANER = nh3.Cleaner(**_CLEANER_OPTIONS)


@dataclass(frozen=True)
class RenderedBody:
    html: str
    films: list[Film]
    people: list[Person]
    missing: list[str]


def render_body(text: str) -> RenderedBody:
    """Render an article body (at most MAX_BODY_LENGTH characters) to safe HTML,
    resolving its film: and person: links against the catalog."""
    links = _CatalogLinks()
    converter = markdown.Markdown(
        extensions=[
            "fenced_code",
            "sane_lists",
            "tables",
            _BodyExtension(links),
        ],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    body_html = sanitise_html(converter.convert(strip_control_characters(text)))
    return RenderedBody(
        html=body_html, films=links.films, people=links.people, missing=links.missing
    )


def sanitise_html(
    body_html: str, *, url_relative: Callable[[str], str] | None = None
) -> str:
    """Keep only the tags, attributes and URL schemes an article body may use;
    `url_relative`, if given, rewrites each relative URL (feeds make them
    absolute)."""
    if url_relative is None:
        return _CLEANER.clean(body_html)
    return nh3.clean(body_html, **_CLEANER_OPTIONS, url_relative=url_relative)


def _safe_url(value: str) -> str | None:
    """The URL a browser would follow, if it is one a body may link to."""
    value = value.replace(AMP_SUBSTITUTE, "&")
    # Unescape until nothing changes: the serialiser keeps anything that looks
    # like an entity, so a browser would decode "&amp;#58;" a second time.
    for _ in range(5):
        unescaped = html.unescape(value)
        if unescaped == value:
            break
        value = unescaped
    else:
        return None
    # Browsers drop tabs and line breaks inside a URL, so they hide nothing.
    value = strip_control_characters(value, keep="").strip()
    lowered = value.lower()
    if lowered.startswith(("http:", "https:", "mailto:", "#", *_CATALOG_PREFIXES)):
        return value
    # "//host" and "/\host" leave the site.
    if lowered.startswith("/") and not lowered.startswith(("//", "/\\")):
        return value
    return None


@dataclass
class _CatalogLinks:
    films: list[Film] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class _BodyExtension(Extension):
    def __init__(self, links: _CatalogLinks) -> None:
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML is shown as text, never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_BlockLineLimit(md), "block_lines", 20)
        md.parser.blockprocessors.register(_NestingLimit(md.parser), "nesting", 200)
        budget = _ScanBudget(LINK_SCAN_BUDGET)
        for name, processor_class, pattern, priority in _LINK_PROCESSORS:
            md.inlinePatterns.register(
                processor_class(pattern, md, budget), name, priority
            )
        md.treeprocessors.register(_LongTextAsWritten(md), "long_text", 25)
        # After Python-Markdown's "unescape" (0), so hrefs are final.
        md.treeprocessors.register(_BodyLinks(md, self.links), "body_links", -10)


class _BlockLineLimit(Preprocessor):
    """Headings, rules and reference definitions split a block and put the rest
    back, and each block is scanned whole by every block processor's test: so the
    work grows with lines times length. A blank line every MAX_BLOCK_LINES lines
    bounds it (fenced code is already set aside when this runs)."""

    def run(self, lines: list[str]) -> list[str]:
        bounded: list[str] = []
        run_length = 0
        for line in lines:
            if not line:
                run_length = 0
            elif run_length == MAX_BLOCK_LINES:
                bounded.append("")
                run_length = 1
            else:
                run_length += 1
            bounded.append(line)
        return bounded


class _NestingLimit(BlockProcessor):
    """Each level of nesting copies the rest of the block, and lists have no
    recursion guard: past MAX_NESTING the rest is kept as plain text."""

    def test(self, parent: Element, block: str) -> bool:
        return len(self.parser.state) > MAX_NESTING

    def run(self, parent: Element, blocks: list[str]) -> None:
        paragraph = SubElement(parent, "p")
        paragraph.text = AtomicString("\n\n".join(blocks))
        blocks.clear()


class _LongTextAsWritten(Treeprocessor):
    """Inline patterns rebuild the whole text on every match: a text run longer
    than MAX_INLINE_TEXT is kept as written instead."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.text and len(element.text) > MAX_INLINE_TEXT:
                element.text = AtomicString(element.text)
            if element.tail and len(element.tail) > MAX_INLINE_TEXT:
                element.tail = AtomicString(element.tail)


class _ScanBudget:
    def __init__(self, characters: int) -> None:
        self.remaining = characters

    def window(self, data: str, index: int) -> str:
        return data[index : index + min(MAX_LINK_SCAN, self.remaining)]

    def spend(self, characters: int) -> None:
        self.remaining = max(0, self.remaining - characters)


class _BoundedLinkScan(LinkInlineProcessor):
    """Python-Markdown scans for the closing bracket of every "[" once per link
    pattern, which is quadratic on unclosed brackets. Each scan here sees at most
    MAX_LINK_SCAN characters and all of them share one budget."""

    def __init__(self, pattern: str, md: markdown.Markdown, budget: _ScanBudget):
        super().__init__(pattern, md)
        self.budget = budget

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        window = self.budget.window(data, index)
        text, end, handled = super().getText(window, 0)
        self.budget.spend(end if handled else len(window))
        return text, index + end, handled

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        if not data.startswith("(", index):
            return super().getLink(data, index)
        window = self.budget.window(data, index)
        href, title, end, handled = super().getLink(window, 0)
        # Python-Markdown answers -1 for `[a]("(b`; that is not a link.
        handled = handled and end > 0
        self.budget.spend(end if handled else len(window))
        return href, title, index + end, handled


class _BoundedReference(_BoundedLinkScan, ReferenceInlineProcessor):
    pass


class _BoundedImage(_BoundedLinkScan, ImageInlineProcessor):
    pass


class _BoundedImageReference(_BoundedLinkScan, ImageReferenceInlineProcessor):
    pass


class _BoundedShortReference(_BoundedLinkScan, ShortReferenceInlineProcessor):
    pass


class _BoundedShortImageReference(_BoundedLinkScan, ShortImageReferenceInlineProcessor):
    pass


# Python-Markdown's own names, patterns and priorities for its link processors.
_LINK_PROCESSORS = [
    ("reference", _BoundedReference, REFERENCE_RE, 170),
    ("link", _BoundedLinkScan, LINK_RE, 160),
    ("image_link", _BoundedImage, IMAGE_LINK_RE, 150),
    ("image_reference", _BoundedImageReference, IMAGE_REFERENCE_RE, 140),
    ("short_reference", _BoundedShortReference, REFERENCE_RE, 130),
    ("short_image_ref", _BoundedShortImageReference, IMAGE_REFERENCE_RE, 125),
]


class _BodyLinks(Treeprocessor):
    """Make every link safe, resolve catalog links (one query per model), drop
    images and demote headings below the page's h1."""

    def __init__(self, md: markdown.Markdown, links: _CatalogLinks) -> None:
        super().__init__(md)
        self.links = links

    def run(self, root: Element) -> None:
        references: list[tuple[Element, str, str, str]] = []
        for element in root.iter():
            if element.tag in _DEMOTED_HEADINGS:
                element.tag = _DEMOTED_HEADINGS[element.tag]
            elif element.tag == "img":
                _keep_as_text(element, element.get("alt", ""))
            elif element.tag == "a" and "href" in element.attrib:
                url = _safe_url(element.attrib.pop("href"))
                if url is None:
                    continue
                kind, _, slug = url.partition(":")
                kind = kind.lower()
                if kind in _CATALOG_MODELS:
                    references.append((element, kind, slug.strip(), url))
                    continue
                element.set("href", url)
                if kind in ("http", "https"):
                    element.set("rel", EXTERNAL_LINK_REL)
        if references:
            self._resolve(references)

    def _resolve(self, references: list[tuple[Element, str, str, str]]) -> None:
        found: dict[str, dict[str, Film | Person]] = {}
        for kind, model in _CATALOG_MODELS.items():
            slugs = {slug for _, k, slug, _ in references if k == kind}
            found[kind] = (
                {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
                if slugs
                else {}
            )
        linked = {"film": self.links.films, "person": self.links.people}
        urls: dict[tuple[str, str], str] = {}
        missing: set[str] = set()
        for element, kind, slug, written in references:
            obj = found[kind].get(slug)
            if obj is None:
                _keep_as_text(element, element.text)
                if written not in missing:
                    missing.add(written)
                    self.links.missing.append(written)
                continue
            if (kind, slug) not in urls:
                urls[kind, slug] = obj.get_absolute_url()
                linked[kind].append(obj)
            element.set("href", urls[kind, slug])


def _keep_as_text(element: Element, text: str | None) -> None:
    # The sanitiser drops a span but keeps its content, so this leaves plain text
    # (and the children, such as emphasis in a link's text) without restructuring
    # the tree here.
    element.tag = "span"
    element.attrib.clear()
    element.text = text
