"""Suggestions as the visitor types (/search/suggest/): findable pages whose title starts with the words so far."""

from __future__ import annotations

from django.http import HttpRequest
from wagtail.models import Site

from search.hits import type_label
from search.text import search_terms
from search.visibility import Findable

SUGGESTION_LIMIT = 8
MAX_SUGGEST_LENGTH = 60


def suggestions(*, query: str, site: Site | None, request: HttpRequest | None = None) -> list[dict[str, str]]:
    """Up to SUGGESTION_LIMIT pages whose AutocompleteFields (the title) start with the words typed so far."""
    terms = search_terms(query[:MAX_SUGGEST_LENGTH])
    if not terms or (len(terms) == 1 and len(terms[0]) < 2 and terms[0].isascii()):
        return []
    found = Findable(site).for_search_backend.autocomplete(" ".join(terms), operator="and")[:SUGGESTION_LIMIT]
    items = []
    for page in found:
        url = page.get_url(request=request)
        if url:
            items.append({"title": page.title, "url": url, "type": type_label(page)})
    return items
