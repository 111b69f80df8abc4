"""Site search over every page type: promotions first, then one page of ranked results, ready for the template.

The concerns live in their own modules: which pages may be found (`search.visibility`), the order of results
(`search.ranking`), the counselor's promotions (`search.promotions`), what a result shows (`search.hits`), counting
queries (`search.recording`), suggestions as one types (`search.suggestions`) and the no-results state
(`search.no_results`). This module puts a search together from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import HttpRequest
from wagtail.models import Site

from search.hits import Hit, make_hit
from search.postgres import native_backend
from search.promotions import Promotion, promotions_for
from search.ranking import ranked_results
from search.text import search_terms, term_pattern
from search.visibility import Findable

RESULTS_PER_PAGE = 10


@dataclass
class SearchOutcome:
    query: str
    terms: list[str] = field(default_factory=list)
    results: PaginatorPage | None = None
    hits: list[Hit] = field(default_factory=list)
    promotions: list[Promotion] = field(default_factory=list)
    matched_all_words: bool = True

    @property
    def total(self) -> int:
        organic = self.results.paginator.count if self.results is not None else 0
        return organic + len(self.promotions)


def _requested_slice(page_number: str | int | None) -> tuple[int, int]:
    """The slice of results the paginator will most likely ask for (a guess: a wrong one costs a query)."""
    try:
        number = min(max(1, int(page_number)), 100_000)
    except (TypeError, ValueError, OverflowError):
        number = 1
    return (number - 1) * RESULTS_PER_PAGE, number * RESULTS_PER_PAGE


def search_site(
    *,
    query: str,
    site: Site | None,
    page_number: str | int | None = 1,
    request: HttpRequest | None = None,
    findable: Findable | None = None,
) -> SearchOutcome:
    """Search every findable page for `query` (already cleaned): promotions, then the ranked results page.

    All words must match; when that finds nothing and there are several words, any word may match
    (`matched_all_words` is then False).
    """
    outcome = SearchOutcome(query=query, terms=search_terms(query))
    if not outcome.terms:
        return outcome
    pattern = term_pattern(outcome.terms)
    findable = findable or Findable(site)
    pages = findable.pages if native_backend() is not None else findable.for_search_backend

    outcome.promotions = promotions_for(query, pages, request)
    promoted_pks = [promotion.page_id for promotion in outcome.promotions if promotion.page_id]
    if promoted_pks:
        pages = pages.exclude(pk__in=promoted_pks)  # shown once, first

    operators = ["and", "or"] if len(outcome.terms) > 1 else ["and"]
    for operator in operators:
        results = ranked_results(pages, outcome.terms, operator=operator, pattern=pattern)
        results.expect(*_requested_slice(page_number))
        paginator = Paginator(results, RESULTS_PER_PAGE, allow_empty_first_page=True)
        if paginator.count or operator == operators[-1]:
            outcome.matched_all_words = operator == "and"
            break
    outcome.results = paginator.get_page(page_number)
    outcome.hits = [hit for page in outcome.results.object_list if (hit := make_hit(page, pattern, request))]
    return outcome
