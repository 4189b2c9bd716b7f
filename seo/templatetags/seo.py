"""Tags every page uses to describe itself: JSON-LD, canonical URLs, summaries."""

import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from seo import structured_data

register = template.Library()

# What json_script escapes: nothing in the data can end the script element or
# start a comment, whatever a title contains.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
DESCRIPTION_LENGTH = 160
# Markdown's marks, where they are marks: headings and quotes at the start of a
# line, asterisks and backticks, and underscores at the edge of a word (so that
# _italic_ loses them and Jung_E keeps its own).
MARKDOWN_MARKS = re.compile(
    r"^[ \t]*(?:#{1,6}|>+)[ \t]*|[*`]+|(?<!\w)_+|_+(?!\w)", re.MULTILINE
)


def jsonld(data) -> str:
    """A dictionary as a JSON-LD script element, safely escaped."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


@register.filter
def summary(text, length=DESCRIPTION_LENGTH) -> str:
    """Plain text for a meta description: tags and Markdown marks dropped,
    white space collapsed, cut on a word boundary to ``length`` characters."""
    plain = MARKDOWN_MARKS.sub("", strip_tags(str(text or "")))
    plain = re.sub(r"\s+", " ", plain).strip()
    length = int(length)
    if len(plain) <= length:
        return plain
    cut = plain[: length - 1]
    if plain[length - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def absolute_builder(context):
    request = context["request"]
    return request.build_absolute_uri


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    return absolute_builder(context)(url)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address without any query string but its page number: no
    tracking parameters, no filters, one address per page of a list."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.simple_tag(takes_context=True)
def breadcrumbs_jsonld(context) -> str:
    crumbs = context.get("breadcrumbs")
    if not crumbs:
        return ""
    return jsonld(structured_data.breadcrumb_list(crumbs, absolute_builder(context)))


@register.simple_tag(takes_context=True)
def website_jsonld(context) -> str:
    return jsonld(structured_data.website(absolute_builder(context)))


@register.simple_tag(takes_context=True)
def preview_image(context, picture) -> dict | None:
    """The picture a link preview shows: a rendition about 1200 pixels wide."""
    if not picture or not getattr(picture, "is_ready", False):
        return None
    url, width, height = picture.rendition_for(structured_data.PREVIEW_WIDTH)
    return {
        "url": absolute_builder(context)(url),
        "width": width,
        "height": height,
        "alt": picture.alt_text,
    }
