"""What a visitor typed, made safe to search for and to show back; excerpts with the matched words marked.

Nothing here touches the database. The query is cut to `MAX_QUERY_LENGTH` characters with control and
direction-override characters removed; the backends only ever receive plain words (`search_terms`), so quotes,
operators (AND, OR, NOT, -, +, *) and SQL fragments reach them as ordinary words or not at all. Highlighting works
on plain text and escapes every piece before it wraps a match in `<mark>`, so no HTML from the query or from a
page's content reaches the results page unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
EXCERPT_LENGTH = 220

# C0 and C1 controls, zero-width and bidirectional-override characters, the byte order mark.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
# A word: letters and digits of any script (no underscore), with the combining marks some scripts write inside
# words (accents, Arabic and Hebrew vowel signs, Devanagari matras).
_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0903\u093a-\u094f])+"
)


def clean_query(raw: str | None, *, max_length: int = MAX_QUERY_LENGTH) -> str:
    """The query as it is searched and shown: invisible characters gone, spaces collapsed, length capped."""
    text = _INVISIBLE.sub(" ", raw or "")
    text = _SPACES.sub(" ", text).strip()
    return text[:max_length].strip()


def search_terms(query: str) -> list[str]:
    """The distinct words of the query, in order, at most `MAX_TERMS`; punctuation and emoji are dropped."""
    terms: list[str] = []
    seen: set[str] = set()
    for word in _WORD.findall(query):
        key = word.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern that finds the query's words in text: whole words starting with a term, any case.

    A Latin-script term must start a word ("calm" marks "calmer", not "becalmed"); a term in another script may sit
    inside a longer run, since Japanese and Chinese write words without spaces. One-letter Latin terms are ignored.
    """
    alternatives = []
    for term in sorted({t.casefold() for t in terms}, key=len, reverse=True):
        if term.isascii():
            if len(term) > 1:
                alternatives.append(rf"(?<![^\W_]){re.escape(term)}[^\W_]*")
        else:
            alternatives.append(re.escape(term))
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """`text` escaped, with every match of `pattern` wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece was escaped above  # nosec B308 B703


def excerpt(text: str, pattern: re.Pattern[str] | None, *, length: int = EXCERPT_LENGTH) -> SafeString:
    """About `length` characters of `text` around its first match (or from its start), cut at spaces, marked."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= length:
        return highlight(text, pattern)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.end() > length - 20:
        # Show a little of what comes before the match, starting at a word.
        start = max(0, match.start() - length // 3)
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    window = text[start:end].strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(escape(prefix) + highlight(window, pattern) + escape(suffix))  # noqa: S308 - escaped  # nosec B308 B703


def contains_match(text: str, pattern: re.Pattern[str] | None) -> bool:
    return bool(pattern and text and pattern.search(text))
