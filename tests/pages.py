"""Reading pages as a visitor does."""

import html
import re


def text(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    markup = response.content.decode()
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
