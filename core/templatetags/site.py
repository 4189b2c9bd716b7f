from django import template

from core.reversing import fixed_url

register = template.Library()

# The main menu: a label and the list page it opens. An item is the current
# one on its list page and on every page under it, which the URL names say:
# "catalog:film-list", "catalog:film-detail", "catalog:film-stills"...
MAIN_MENU = [
    ("News", "news:article-list"),
    ("Reviews", "news:review-list"),
    ("Films", "catalog:film-list"),
    ("People", "catalog:person-list"),
]


def _family(view_name: str) -> tuple[str, str]:
    """ "catalog:film-detail" -> ("catalog", "film")."""
    namespace, _, url_name = view_name.rpartition(":")
    return namespace, url_name.partition("-")[0]


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    match = getattr(context.get("request"), "resolver_match", None)
    current = _family(match.view_name) if match else None
    return {
        "items": [
            (label, fixed_url(view_name), _family(view_name) == current)
            for label, view_name in MAIN_MENU
        ]
    }


@register.simple_tag
def page_url(view_name: str) -> str:
    """``{% url %}`` for a page without arguments (the home page, the search
    page...): reversed once, not on every page that links to it."""
    return fixed_url(view_name)
