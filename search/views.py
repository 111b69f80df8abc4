"""The search page (/search/?query=…&page=…) and the suggestions endpoint (/search/suggest/?query=…).

Both accept anything in their parameters and answer with a page or JSON, never an error: the query is cleaned and
capped (search.text), and a bad or out-of-range page number shows the nearest page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Site

from search.no_results import contact_page, recent_posts
from search.recording import record_query
from search.services import search_site
from search.suggestions import MAX_SUGGEST_LENGTH, suggestions
from search.text import clean_query
from search.visibility import Findable


def _pagination(query: str, results) -> list[dict]:
    """Links to the pages of results, with ellipses for long runs: [{"number", "url", "current"}, ...]."""
    if results is None or results.paginator.num_pages < 2:
        return []
    links = []
    for number in results.paginator.get_elided_page_range(results.number, on_each_side=2, on_ends=1):
        if isinstance(number, int):
            links.append(
                {"number": number, "url": _page_url(query, number), "current": number == results.number}
            )
        else:
            links.append({"number": None, "url": None, "current": False})
    return links


def _page_url(query: str, number: int) -> str:
    return "?" + urlencode({"query": query, "page": number})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("query"))
    site = Site.find_for_request(request)
    findable = Findable(site)
    outcome = search_site(
        query=query, site=site, page_number=request.GET.get("page"), request=request, findable=findable
    )
    results = outcome.results
    if outcome.terms and results is not None and results.number == 1:
        record_query(query)

    context = {
        "search_query": query,
        "outcome": outcome,
        "search_results": results,
        "hits": outcome.hits,
        "pagination": _pagination(query, results),
    }
    if results is not None and results.paginator.num_pages > 1:
        if results.has_previous():
            context["previous_url"] = _page_url(query, results.previous_page_number())
        if results.has_next():
            context["next_url"] = _page_url(query, results.next_page_number())
    if outcome.terms and not outcome.total:
        context["recent_posts"] = recent_posts(findable)
        context["contact_page"] = contact_page(findable)
    response = TemplateResponse(request, "search/search.html", context)
    # Every search is recorded for the counselor's report, so no cache in front may answer one.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    query = clean_query(request.GET.get("query"), max_length=MAX_SUGGEST_LENGTH)
    items = suggestions(query=query, site=Site.find_for_request(request), request=request)
    response = JsonResponse({"query": query, "results": items})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
