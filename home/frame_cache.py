"""What every page's frame needs (the site, the menu, the practice settings), kept in the cache.

Entries are keyed by the page cache's generation, so the same publish, settings save or snippet edit that
refreshes cached pages also refreshes these; an uncached page then renders with a handful of queries of its
own instead of re-reading the frame each time.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from wagtail.models import Site

from home.page_cache import current_generation

T = TypeVar("T")
_MISSING = object()
FRAME_CACHE_SECONDS = 3600


def remember(name: str, build: Callable[[], T]) -> T:
    """The cached value of `build()` for this generation, building it on first use."""
    key = f"frame:{current_generation()}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, FRAME_CACHE_SECONDS)
    return value


class CachedSiteMiddleware:
    """Finds the Wagtail Site for the request's host once per generation rather than once per request.

    Wagtail's `Site.find_for_request` keeps its answer on `request._wagtail_site`; this fills that in
    from the cache, so Wagtail's own code and ours both see the cached site.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._wagtail_site = remember(f"site:{request._get_raw_host()}", lambda: find_site(request))
        return self.get_response(request)


def find_site(request: HttpRequest) -> Site | None:
    """Wagtail's site lookup, with the root page loaded (as its specific type) so the cached copy carries it."""
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site
