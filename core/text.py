"""Text that is never text: the one definition of the characters every app
removes from what editors paste, visitors type and feeds carry."""

from __future__ import annotations

import functools
import re
import unicodedata

# C0 controls, DEL, C1 controls and the noncharacters U+FFFE and U+FFFF.
_CONTROLS = [*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]
# Tabs and line breaks, which a body or a caption may hold.
WHITESPACE_CONTROLS = "\t\n\r"
# Format, private-use and unassigned code points: invisible in a name or a query.
_INVISIBLE = {"Cf", "Co", "Cn"}


@functools.cache
def _pattern(keep: str) -> re.Pattern[str]:
    removed = "".join(chr(code) for code in _CONTROLS if chr(code) not in keep)
    # Lone surrogates too: they cannot be encoded, so they break any output.
    return re.compile("[" + re.escape(removed) + r"\uD800-\uDFFF]")


def strip_control_characters(
    text: str, *, keep: str = WHITESPACE_CONTROLS, invisible: bool = False
) -> str:
    """`text` without control characters (but those in `keep`), lone surrogates
    and noncharacters: pasted from Word or typed into a URL, they break feeds,
    XML and databases. With `invisible`, format, private-use and unassigned
    code points go too (zero-width spaces, byte-order marks), for text that is
    matched rather than read."""
    text = _pattern(keep).sub("", text)
    if invisible:
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    return text


def normalise_line_breaks(text: str) -> str:
    """`text` with every line break as one "\\n": browsers send a textarea's as
    "\\r\\n", which would count twice against a cap in characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
