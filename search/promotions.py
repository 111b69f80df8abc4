"""The counselor's promoted results (Wagtail's search promotions): shown first, in her order, for a query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from search.hits import type_label


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


def promotions_for(query: str, pages: QuerySet[Page], request: HttpRequest | None) -> list[Promotion]:
    """The counselor's promoted results for this query, in her order; promoted pages not among `pages` skipped."""
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
