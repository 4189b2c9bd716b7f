from django import template

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
