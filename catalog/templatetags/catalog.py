from django import template

from catalog.structured_data import person as person_data
from seo.templatetags.seo import absolute_builder, jsonld

register = template.Library()


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
def person_jsonld(context, person) -> str:
    """The person page's Person, as JSON-LD."""
    return jsonld(person_data(person, absolute_builder(context)))
