"""Full-text search on PostgreSQL over Wagtail's own search index, ranked with the backend's weights, in one query.

Wagtail's database backend keeps one index entry per object: a `title` and a `body` tsvector (each word weighted
A-D by the boost of its SearchField, so a post's tags sit in `body` with a higher weight than its text) and a
`title_norm`. Its `.search()` filters with `(title || body) @@ query`, an expression Wagtail does not index, so
every search reads and concatenates every entry (about 300 ms at 10,000 posts on two cores), then counts in a
second pass.

`RankedPages` asks the same question in a form that GIN indexes answer (`matches_condition`), ranked by the
backend's own formula (`ts_rank(weights, title, q) * title_norm + ts_rank(weights, body, q)`), with the total from
a window count in the same query; the specific pages of the one page of results are then read in one more query
(search.pages). The index is still written by Wagtail (signals, `update_index`); only the read is ours.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorExact, SearchVectorField
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.expressions import CombinedExpression
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.backends.database.postgres.weights import get_sql_weights
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from search.pages import SearchResults, specific_pages


def native_backend():
    """The PostgreSQL database search backend if it is the one in use, else None (SQLite, Elasticsearch...)."""
    backend = get_search_backend()
    return backend if isinstance(backend, PostgresSearchBackend) else None


def tsquery_text(terms: list[str], operator: str) -> str:
    """A to_tsquery() expression of quoted words: `'anxiety' & 'sleep'`. Terms are letters and digits only."""
    joiner = " & " if operator == "and" else " | "
    return joiner.join("'{}'".format(term.replace("\\", "").replace("'", "")) for term in terms)


def raw_query(terms: list[str], operator: str, backend) -> SearchQuery:
    return SearchQuery(tsquery_text(terms, operator), search_type="raw", config=backend.config)


def matches_condition(terms: list[str], operator: str, backend) -> Q:
    """Pages whose index entry matches, as Wagtail's `(title || body) @@ query`, in a form an index answers.

    Any word, or a single word: `title @@ q OR body @@ q` is the same test, answered by the GIN indexes on `title` and
    `body`. Every word of several: the words may be split between title and body ("notes" in the title, "anxiety"
    in the text), so the test is Wagtail's own, answered by the GIN index on `title || body` that
    search/migrations/0001_index_entry_words.py adds.
    """
    title, body = F("index_entries__title"), F("index_entries__body")
    query = raw_query(terms, operator, backend)
    if operator != "and" or len(terms) < 2:
        return Q(index_entries__title=query) | Q(index_entries__body=query)
    return Q(
        SearchVectorExact(CombinedExpression(title, "||", body, output_field=SearchVectorField()), query)
    )


class RankedPages(SearchResults):
    """Matching pages, best first. The count and the expected slice come from one query."""

    def __init__(self, pages: QuerySet[Page], terms: list[str], *, operator: str, backend) -> None:
        query = raw_query(terms, operator, backend)
        title, body = F("index_entries__title"), F("index_entries__body")
        weights = get_sql_weights()
        rank = SearchRank(title, query, weights=weights) * F("index_entries__title_norm") + SearchRank(
            body, query, weights=weights
        )
        self.matches = (
            pages.filter(matches_condition(terms, operator, backend))
            .annotate(_rank=rank)
            .order_by("-_rank", "-pk")
        )
        self._total: int | None = None
        self._expected: tuple[int, int] = (0, 10)
        self._rows: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def expect(self, start: int, stop: int) -> None:
        self._expected = (start, stop)

    def _fetch(self, start: int, stop: int) -> list[tuple[int, int]]:
        if (start, stop) not in self._rows:
            rows = list(
                self.matches.annotate(_total=Window(Count("pk"))).values_list(
                    "pk", "content_type_id", "_total"
                )[start:stop]
            )
            if rows:
                self._total = rows[0][2]
            elif start == 0:
                self._total = 0
            self._rows[(start, stop)] = [(pk, content_type_id) for pk, content_type_id, _ in rows]
        return self._rows[(start, stop)]

    def count(self) -> int:
        if self._total is None:
            self._fetch(*self._expected)
        if self._total is None:  # the expected slice was out of range
            self._total = self.matches.count()
        return self._total

    def _slice(self, start: int, stop: int) -> list[Page]:
        return specific_pages(pk for pk, _ in self._fetch(start, stop))
