"""Site search over every page type, with Wagtail's database search backend.

Which pages may be found is decided once, in `Findable`: live, not expired, under no view restriction, in
the visitor's site. Nothing here names a page model: results are read as their specific types, shown through what any
page may have (`search_description`, `summary`, `introduction`, `body`, `date`), and ranked with the boosts that each
model declares in its `search_fields`.

Ranking. On PostgreSQL the backend's full-text ranking weights fields by their boost (title and tags far above
body); `search.postgres.RankedPages` reads Wagtail's index with that ranking in one index-assisted query, and the
database orders and paginates. SQLite's FTS5 scores a whole row with BM25, which cannot tell a title from a body, so
there the results of `.search()` are re-ordered: pages whose boosted fields (title, tags) contain a query word come
first, each group in the backend's order (`_strong_first`).

Optional apps are looked up lazily (`django.apps.apps.get_model`) so that search depends on neither blog nor booking.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import DatabaseError, models
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.models import Page, Site
from wagtail.search import index
from wagtail.search.utils import normalise_query_string

from search.pages import SearchResults, body_text, specific_pages
from search.postgres import RankedPages, native_backend
from search.text import contains_match, excerpt, highlight, search_terms, term_pattern

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10
SUGGESTION_LIMIT = 8
MAX_SUGGEST_LENGTH = 60
# SQLite only: how many matches are re-ordered in Python; any beyond keep the backend's order.
RERANK_LIMIT = 1000
SUMMARY_ATTRIBUTES = ("search_description", "summary", "introduction")


# Which pages ---------------------------------------------------------------------------------------------------


class Findable:
    """The pages a visitor may find, for one request: live, not expired, not private, in `site` (if given).

    The view restrictions are read once, when this is made (Wagtail's `.public()`), and shared by every queryset
    built from it: the search, the promotions, the no-results suggestions.
    """

    def __init__(self, site: Site | None) -> None:
        pages = Page.objects.live().public()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        else:
            pages = pages.filter(depth__gt=1)
        self._pages = pages
        self._now = timezone.now()

    @property
    def pages(self) -> models.QuerySet[Page]:
        return self._pages.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=self._now))

    @property
    def for_search_backend(self) -> models.QuerySet[Page]:
        """For `.search()`/`.autocomplete()`, whose backends accept only filters on FilterFields (id, path, depth,
        live...): the expiry test becomes a subquery on ids."""
        return self._pages.exclude(pk__in=Page.objects.filter(expire_at__lte=self._now).values("pk"))


# What a result shows -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One search result, ready for the template: every *_html value is escaped and safe to print."""

    page: Page
    url: str
    title_html: SafeString
    type_label: str
    date: date | None
    excerpt_html: SafeString


@dataclass(frozen=True)
class Promotion:
    """An editor's pick for the query: a page, or an external link."""

    url: str
    title: str
    description: str
    type_label: str
    page_id: int | None = None

    @property
    def external(self) -> bool:
        return self.page_id is None


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


def type_label(page: Page) -> str:
    return str(capfirst(page.specific_class._meta.verbose_name)) if page.specific_class else "Page"


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


# Ranking -------------------------------------------------------------------------------------------------------


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


def _strong_first(pages: Sequence[Page], pattern: re.Pattern[str] | None) -> list[int]:
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
    pages: models.QuerySet[Page], terms: list[str], *, operator: str, pattern: re.Pattern[str] | None
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
    return SpecificPagesByPk(_strong_first(matches, pattern), remainder)


def _requested_slice(page_number: str | int | None) -> tuple[int, int]:
    """The slice of results the paginator will most likely ask for (a guess: a wrong one costs a query)."""
    try:
        number = min(max(1, int(page_number)), 100_000)
    except (TypeError, ValueError, OverflowError):
        number = 1
    return (number - 1) * RESULTS_PER_PAGE, number * RESULTS_PER_PAGE


# Searching -----------------------------------------------------------------------------------------------------


def promotions_for(query: str, pages: models.QuerySet[Page], request: HttpRequest | None) -> list[Promotion]:
    """The counselor's promoted results for this query, in her order; promoted pages that are not findable skipped."""
    normalised = normalise_query_string(query)
    if not normalised:
        return []
    picks = list(
        SearchPromotion.objects.filter(query__query_string=normalised)
        .order_by("sort_order", "pk")
        .values_list("page_id", "external_link_url", "external_link_text", "description")
    )
    if not picks:
        return []
    page_ids = [page_id for page_id, *_ in picks if page_id]
    findable = pages.filter(pk__in=page_ids).specific().in_bulk() if page_ids else {}
    promotions: list[Promotion] = []
    for page_id, link_url, link_text, description in picks:
        if page_id:
            page = findable.get(page_id)
            url = page.get_url(request=request) if page else None
            if url:
                promotions.append(Promotion(url, page.title, description or "", type_label(page), page.pk))
        elif link_url:
            promotions.append(Promotion(link_url, link_text or link_url, description or "", "Link"))
    return promotions


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


def record_query(query: str) -> None:
    """Count one search for `query`, so the counselor sees what visitors look for (Reports › Search terms).

    A query already searched today costs one UPDATE; otherwise Wagtail's `Query.get(query).add_hit()` creates the
    rows.
    """
    if not search_terms(query):
        return
    try:
        counted = QueryDailyHits.objects.filter(
            query__query_string=normalise_query_string(query), date=timezone.localdate()
        ).update(hits=F("hits") + 1)
        if not counted:
            Query.get(query).add_hit(date=timezone.localdate())
    except DatabaseError:
        logger.exception("search: could not record a query")


# Suggestions and the no-results state ----------------------------------------------------------------------------


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


def recent_posts(findable: Findable, *, count: int = 3) -> list[Page]:
    """The newest findable blog posts, if the blog app is installed; otherwise none."""
    try:
        post_model = apps.get_model("blog", "BlogPage")
    except LookupError:
        return []
    findable = findable.pages.values("pk")
    posts = post_model.objects.filter(pk__in=findable)
    ordering = ["-date"] if any(f.name == "date" for f in post_model._meta.get_fields()) else []
    return list(posts.order_by(*ordering, "-first_published_at", "-pk")[:count])


def contact_page(findable: Findable) -> Page | None:
    """The practice's contact page, if the booking app is installed and one is findable."""
    try:
        contact_model = apps.get_model("booking", "ContactPage")
    except LookupError:
        return None
    findable = findable.pages.values("pk")
    return contact_model.objects.filter(pk__in=findable).order_by("path").first()
