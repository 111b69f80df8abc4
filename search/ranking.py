"""The order of search results, best first, on either database.

On PostgreSQL the backend's full-text ranking weights fields by their boost (title and tags far above body);
`search.postgres.RankedPages` reads Wagtail's index with that ranking in one index-assisted query, and the database
orders and paginates. SQLite's FTS5 scores a whole row with BM25, which cannot tell a title from a body, so there the
results of `.search()` are re-ordered: pages whose boosted fields (title, tags) contain a query word come first, each
group in the backend's order (`strong_first`), with the boosts each model declares in its `search_fields`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import cache

from django.core.exceptions import FieldError
from django.db.models import QuerySet
from wagtail.models import Page
from wagtail.search import index

from search.pages import SearchResults, specific_pages
from search.postgres import RankedPages, native_backend
from search.text import contains_match

logger = logging.getLogger(__name__)

# SQLite only: how many matches are re-ordered in Python; any beyond keep the backend's order.
RERANK_LIMIT = 1000


@cache
def strong_paths(model: type[Page]) -> tuple[str, ...]:
    """Lookups of the fields `model` boosts in its search_fields (besides the title), e.g. ("tags__name",)."""
    paths: list[str] = []
    for search_field in model.get_search_fields():
        if isinstance(search_field, index.SearchField) and (search_field.boost or 1) > 1:
            if search_field.field_name != "title":
                paths.append(search_field.field_name)
        elif isinstance(search_field, index.RelatedFields):
            for sub_field in search_field.fields:
                if isinstance(sub_field, index.SearchField) and (sub_field.boost or 1) > 1:
                    paths.append(f"{search_field.field_name}__{sub_field.field_name}")
    return tuple(dict.fromkeys(paths))


def _strong_texts(pks_by_model: dict[type[Page], list[int]]) -> dict[int, list[str]]:
    """Each page's boosted field values, one query per model and boosted field."""
    texts: dict[int, list[str]] = {}
    for model, pks in pks_by_model.items():
        for path in strong_paths(model):
            try:
                rows = model.objects.filter(pk__in=pks).values_list("pk", path)
                for pk, value in rows:
                    if value:
                        texts.setdefault(pk, []).append(str(value))
            except FieldError:
                logger.warning("search: cannot read %s.%s for ranking", model.__name__, path)
    return texts


def strong_first(pages: Sequence[Page], pattern: re.Pattern[str] | None) -> list[int]:
    """Page ids with the title or boosted-field matches first, otherwise in the given order."""
    pks_by_model: dict[type[Page], list[int]] = {}
    for page in pages:
        pks_by_model.setdefault(page.specific_class or Page, []).append(page.pk)
    texts = _strong_texts(pks_by_model)
    strong, weak = [], []
    for page in pages:
        values = [page.title, *texts.get(page.pk, [])]
        (strong if any(contains_match(v, pattern) for v in values) else weak).append(page.pk)
    return strong + weak


class SpecificPagesByPk(SearchResults):
    """Pages in the order of a list of ids, fetched (specific) only for the slice a paginator asks for."""

    def __init__(self, pks: list[int], remainder=None):
        self.pks = pks
        self.remainder = remainder  # search results beyond the re-ranked ids, if any
        self._remainder_count: int | None = None

    def count(self) -> int:
        if self.remainder is None:
            return len(self.pks)
        if self._remainder_count is None:
            self._remainder_count = self.remainder.count()
        return len(self.pks) + self._remainder_count

    def _slice(self, start: int, stop: int) -> list[Page]:
        found = specific_pages(self.pks[start:stop])
        if self.remainder is not None and stop > len(self.pks):
            found += list(self.remainder[max(0, start - len(self.pks)) : stop - len(self.pks)])
        return found


def ranked_results(
    pages: QuerySet[Page], terms: list[str], *, operator: str, pattern: re.Pattern[str] | None
) -> SearchResults:
    """Search results as a sliceable sequence of specific pages with `.count()`, best first."""
    backend = native_backend()
    if backend is not None:
        return RankedPages(pages, terms, operator=operator, backend=backend)
    # SQLite and the fallback backend: the matches in backend order, then boosted-field matches moved first.
    text = " ".join(terms)
    matches = list(
        pages.only("id", "title", "content_type_id").search(text, operator=operator)[:RERANK_LIMIT]
    )
    remainder = None
    if len(matches) == RERANK_LIMIT:
        remainder = pages.exclude(pk__in=[p.pk for p in matches]).specific().search(text, operator=operator)
    return SpecificPagesByPk(strong_first(matches, pattern), remainder)
