"""What one search result shows: its title and an excerpt with the query's words marked, its type and date.

Nothing here names a page model: a result is shown through what any page may have (`search_description`,
`summary`, `introduction`, `body`, `date`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils.safestring import SafeString
from wagtail.models import Page

from search.pages import body_text
from search.text import contains_match, excerpt, highlight

SUMMARY_ATTRIBUTES = ("search_description", "summary", "introduction")


@dataclass(frozen=True)
class Hit:
    """One search result, ready for the template: every *_html value is escaped and safe to print."""

    page: Page
    url: str
    title_html: SafeString
    type_label: str
    date: date | None
    excerpt_html: SafeString


def type_label(page: Page) -> str:
    """What a visitor reads as the result's kind: the page type's `public_label` ("Article"), else "Page"."""
    return getattr(page.specific_class, "public_label", "Page")


def _summary_texts(page: Page) -> list[str]:
    texts: list[str] = []
    for attribute in SUMMARY_ATTRIBUTES:
        value = getattr(page, attribute, "")
        if isinstance(value, str) and value.strip() and value.strip() not in texts:
            texts.append(value.strip())
    return texts


def page_excerpt(page: Page, pattern: re.Pattern[str] | None) -> SafeString:
    """An excerpt from the first plain text that contains a query word: the summary, else the body; else the summary."""
    summaries = _summary_texts(page)
    for text in summaries:
        if contains_match(text, pattern):
            return excerpt(text, pattern)
    body = body_text(page)
    if contains_match(body, pattern):
        return excerpt(body, pattern)
    return excerpt(summaries[0] if summaries else body, pattern)


def make_hit(page: Page, pattern: re.Pattern[str] | None, request: HttpRequest | None) -> Hit | None:
    url = page.get_url(request=request)
    if not url:
        return None
    page_date = getattr(page, "date", None)
    return Hit(
        page=page,
        url=url,
        title_html=highlight(page.title, pattern),
        type_label=type_label(page),
        date=page_date if isinstance(page_date, date) else None,
        excerpt_html=page_excerpt(page, pattern),
    )
