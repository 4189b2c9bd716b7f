"""Reading pages as a visitor does."""

import html
import re
from html.parser import HTMLParser


def text(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    markup = response.content.decode()
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


class _FormFields(HTMLParser):
    """Collects what a browser would submit from a page's forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self._add(name, attributes.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append(
                (attributes.get("value", ""), "selected" in attributes)
            )
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]  # a browser sends the first
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The parser keeps the newline that follows <textarea>; browsers drop it.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def form_data(response) -> dict[str, list[str]]:
    """The fields a browser would post back from the page as it was served,
    leaving out the templates of inline rows not yet added (`__prefix__`)."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {
        name: values for name, values in parser.data.items() if "__prefix__" not in name
    }


def posted_back(response, **changes) -> dict[str, list[str]]:
    """What the browser posts when the page's form is saved with `changes` (a
    value, or a list of them for a field of several)."""
    return form_data(response) | {
        name: value if isinstance(value, list) else [value]
        for name, value in changes.items()
    }
