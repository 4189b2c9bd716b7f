from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.structured_data import person as person_data
from images.templatetags.images import picture
from seo.templatetags.seo import absolute_builder, jsonld

register = template.Library()

EMPTY_AVATAR = mark_safe(
    '<span class="avatar avatar--empty" aria-hidden="true"></span>'
)


@register.filter
def runtime(minutes: int | None) -> str:
    """99 -> "1 h 39 min"; 45 -> "45 min"."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@register.simple_tag(takes_context=True)
def person_jsonld(context, person, details) -> str:
    """The person page's Person, as JSON-LD."""
    return jsonld(person_data(person, details, absolute_builder(context)))


@register.simple_tag
def avatar(person) -> str:
    """A person's small portrait beside their name, or an empty circle of the
    same size."""
    image = picture(getattr(person, "portrait", None), sizes="3rem", decorative=True)
    if not image:
        return EMPTY_AVATAR
    return format_html('<span class="avatar">{}</span>', image)
