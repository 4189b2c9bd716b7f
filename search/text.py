"""How text becomes searchable: the one place that decides what "the same
spelling" means, used alike for what is indexed and for what visitors type."""

from __future__ import annotations

import re
import unicodedata

from core.text import strip_control_characters

# Longest query searched; anything longer is cut, never refused.
MAX_QUERY_LENGTH = 100
# Words of a query that count; more would only slow the query down.
MAX_QUERY_WORDS = 8

# Latin letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"}
)
_WORD = re.compile(r"[^\W_]+")
# Characters that join the parts of one word in print: Jung_E, Soo-yeon, E.T.
_JOINERS = "-_.'’‐‑·"
_CHUNK = re.compile(rf"[^\W_]+(?:[{re.escape(_JOINERS)}]+[^\W_]+)*")
# The same Korean syllable is romanised several ways (Jeong/Jung, Soo/Su,
# Yeon/Youn, Seung/Sung): these vowel spellings are read as one.
_VOWELS = re.compile(r"oo|eo|ou|eu")


def clean_query(raw: str) -> str:
    """What a visitor typed, made safe to search and to show again: invisible
    and invalid characters dropped, white space collapsed, length capped."""
    text = raw[: MAX_QUERY_LENGTH * 4]
    text = strip_control_characters(text, keep="", invisible=True)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def words(text: str) -> list[str]:
    """Lower-case words without accents; everything but letters and digits
    separates them."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # NFC puts Hangul syllables back together after NFKD took them apart.
    text = unicodedata.normalize("NFC", text).casefold().translate(_LETTERS)
    return _WORD.findall(text)


def key(text: str) -> str:
    """The spelling-blind key: "Jung_E", "JUNG E" and "jung-e" all give "junge"."""
    return "".join(words(text))


def query_key(query: str) -> str:
    """The key of what a visitor typed, from its first words that count."""
    return "".join(words(query)[:MAX_QUERY_WORDS])


def fold(search_key: str) -> str:
    """A key with romanisation variants merged: "seohyeon" and "seohyun" meet."""
    return _VOWELS.sub("u", search_key)


def suffix_keys(text: str) -> list[str]:
    """The key from each word on: "Train to Busan" gives "traintobusan",
    "tobusan" and "busan", so a query can start at any word."""
    parts = words(text)
    return ["".join(parts[start:]) for start in range(len(parts))]


def _chunks(text: str) -> list[list[str]]:
    """The words of each printed word, joiners and all: "Jung_E Soo-yeon"
    gives [["jung", "e"], ["soo", "yeon"]]."""
    chunks = _CHUNK.findall(unicodedata.normalize("NFC", text))
    return [parts for chunk in chunks if (parts := words(chunk))]


def printed_words(query: str) -> list[str]:
    """The keys of a query's words as printed, a hyphenated or underscored
    word being one: "Yeon-gyu Jeon" gives "yeongyu" and "jeon"."""
    return ["".join(parts) for parts in _chunks(query)[:MAX_QUERY_WORDS]]


def document(*texts: str) -> str:
    """Article text as indexed words: each word, and each word written with
    joiners also in one piece ("Jung_E" gives "jung e junge")."""
    tokens: list[str] = []
    for text in texts:
        for parts in _chunks(text):
            tokens.extend(parts)
            if len(parts) > 1:
                tokens.append("".join(parts))
    return " ".join(tokens)


def query_terms(query: str) -> list[list[tuple[str, ...]]]:
    """Each word of a query as the ways a document can contain it: ("junge",)
    or, for "Jung-E", ("junge",) or ("jung", "e") (the whole, or every part)."""
    return [
        [("".join(parts),), tuple(parts)] if len(parts) > 1 else [(parts[0],)]
        for parts in _chunks(query)[:MAX_QUERY_WORDS]
    ]
