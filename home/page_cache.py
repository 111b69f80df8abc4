"""The page cache: anonymous GETs of public pages are answered from Django's cache (Redis or local memory).

What is cached is decided from the finished response, so nothing personal can slip in: only 200 responses
to anonymous GET/HEAD requests (no session or messages cookie, no Authorization header), outside the excluded
prefixes (admin, search, health, documents), with no query string other than `page`, that set no cookie (a
page holding a CSRF token sets one, so forms are never cached) and are not marked private. Such a response
may say `Vary: Cookie` (templates look at the anonymous user), but without a session every visitor gets the
same page.

Invalidation is by generation: every cached page is stored with the generation it was rendered in, and any
change that could show on a public page (publishing, unpublishing, moving or deleting a page, editing a snippet or
the site settings) increments it, so every cached page is refreshed at once. A practice's site has a few hundred
pages, so flushing all of them is cheaper and safer than tracking which page shows what. The frame every page
shares (`home.frame_cache`) has a generation of its own, which a change that cannot show in it leaves alone: a
new blog post renews the pages, not the menu, the settings or the office hours, so the first view after it
renders only its own content.

Round trips: one `MGET` reads both generations, the host's frame, the page and Wagtail's root paths of the sites;
a hit is answered from it. A miss
renders the page and stores it, with any frame piece built on the way, in one pipelined write. When Redis is
down, the cache backend (`home.redis_cache`) misses and pages are served uncached.

Content that changes at a known time (the office hours' "open now") calls `limit_cache_until` while it
renders, so the cached copy expires when the text would change.
"""

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from hashlib import sha256
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from wagtail.models import Page, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION
from wagtail.signals import page_published, page_slug_changed, page_unpublished, published, unpublished

from home.frame_cache import close_frame, frame_key, open_frame
from home.models import PracticeSettings
from home.redis_cache import UNAVAILABLE, get_each, set_each
from home.wagtail_internals import give_site_root_paths, raw_host

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
FRAME_GENERATION_KEY = "page-cache:frame-generation"
CACHEABLE_QUERY_PARAMETERS = {"page"}
# What a stored page holds. 2: its headers include Permissions-Policy, CORP and the CSP, which a hit replays (the
# page cache sits outside those middlewares); a page stored before, without them, is never served.
STORED_LAYOUT = 2
# Wagtail's own cache entry of every site's root paths, read in the same round trip as ours.
WAGTAIL_ROOT_PATHS = (SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION)
# Signals about one page whose change shows in the frame only if the page is in it (see _may_change_frame).
PAGE_SIGNALS = (page_published, page_unpublished, page_slug_changed, published, unpublished)


def fresh_generation() -> int:
    """A first generation number: milliseconds since 1970, so a generation lost to a restart or an eviction
    starts again above every number used before, and no page stored under an old one can be served."""
    return int(time.time() * 1000)


def current_generations(found: Mapping[str, Any] | None = None) -> tuple[int | None, int | None]:
    """(pages, frame) generations, from `found` (a `get_many` answer) when given; None when Redis is down."""
    found = cache.get_many([GENERATION_KEY, FRAME_GENERATION_KEY]) if found is None else found
    generations = []
    for key in (GENERATION_KEY, FRAME_GENERATION_KEY):
        value = found.get(key)
        if value is None:
            cache.add(key, fresh_generation(), timeout=None)
            value = cache.get(key)
        generations.append(value)
    return generations[0], generations[1]


def invalidate_page_cache(**signal_kwargs) -> None:
    """Make every cached page stale, and the frame too unless the change cannot show in it. Safe to call from
    any signal handler; with Redis down it logs an error and returns (the change itself is saved)."""
    keys = [GENERATION_KEY]
    if _may_change_frame(signal_kwargs):
        keys.append(FRAME_GENERATION_KEY)
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, fresh_generation(), timeout=None)
        except UNAVAILABLE:
            logger.error("Could not refresh the page cache: Redis unavailable; cached pages may be stale")
            return


def _may_change_frame(signal_kwargs: dict[str, Any]) -> bool:
    """False only for a page published, unpublished or renamed that the frame does not show: not a site's root,
    not a top-level page (the menu), not the practice's call to action. Anything else may change the frame."""
    page = signal_kwargs.get("instance")
    if signal_kwargs.get("signal") not in PAGE_SIGNALS or not isinstance(page, Page):
        return True
    parent_path = page.path[: -page.steplen]
    root_paths = set(Site.objects.values_list("root_page__path", flat=True))
    if page.path in root_paths or parent_path in root_paths:
        return True
    return PracticeSettings.objects.filter(call_to_action_page=page.pk).exists()


def limit_cache_until(request: HttpRequest | None, moment: datetime | None) -> None:
    """Ask the page cache not to keep the page being rendered beyond `moment`."""
    if request is None or moment is None:
        return
    earliest = getattr(request, "page_cache_valid_until", None)
    if earliest is None or moment < earliest:
        request.page_cache_valid_until = moment


def _excluded_prefixes() -> tuple[str, ...]:
    return (f"/{settings.ADMIN_URL_PATH}", *settings.PAGE_CACHE_EXCLUDED_PREFIXES)


def is_cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "Authorization" not in request.headers
        and not request.path.startswith(_excluded_prefixes())
        and set(request.GET) <= CACHEABLE_QUERY_PARAMETERS
    )


def is_cacheable_response(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def cache_key(request: HttpRequest) -> str:
    location = f"{request.get_host()}{request.get_full_path()}"
    return f"page-cache:{sha256(location.encode()).hexdigest()}"


def _timeout(request: HttpRequest) -> int:
    timeout = settings.PAGE_CACHE_SECONDS
    valid_until = getattr(request, "page_cache_valid_until", None)
    if valid_until is not None:
        timeout = min(timeout, int((valid_until - timezone.now()).total_seconds()))
    return timeout


def _stored(response: HttpResponse, generation: int) -> dict[str, Any]:
    """What the cache keeps of a response: its generation, headers (the shared security headers among them) and
    body (cheaper to load than a pickled HttpResponse)."""
    return {
        "generation": generation,
        "layout": STORED_LAYOUT,
        "headers": list(response.headers.items()),
        "content": response.content,
    }


def _answer(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"], headers=dict(stored["headers"]))
    last_modified = response.get("Last-Modified")
    conditional = get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )
    conditional["X-Page-Cache"] = "hit"
    return conditional


class PageCacheMiddleware:
    """Serves cached pages and opens the request's frame, in one round trip to the cache; stores what the
    response adds in one more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page_key = cache_key(request) if is_cacheable_request(request) else None
        host_frame_key = frame_key(raw_host(request))
        keys = [GENERATION_KEY, FRAME_GENERATION_KEY, host_frame_key] + ([page_key] if page_key else [])
        found = get_each(cache, [(key, None) for key in keys] + [WAGTAIL_ROOT_PATHS])
        pages_generation, frame_generation = current_generations(found)
        stored = found.get(page_key) if page_key else None
        if (
            isinstance(stored, dict)
            and pages_generation is not None
            and stored.get("generation") == pages_generation
            and stored.get("layout") == STORED_LAYOUT
        ):
            return _answer(request, stored)

        if (root_paths := found.get(WAGTAIL_ROOT_PATHS[0])) is not None:
            # What Wagtail would read from the cache for each page URL it builds (Page.get_url keeps it there).
            give_site_root_paths(request, root_paths)
        frame, token = open_frame(
            raw_host(request), frame_generation, pages_generation, found.get(host_frame_key)
        )
        try:
            response = self.get_response(request)
        finally:
            close_frame(token)
        writes = []
        if page_key and is_cacheable_response(response):
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
            response.headers.setdefault("Last-Modified", http_date())
            timeout = _timeout(request)
            if timeout > 0 and pages_generation is not None:
                writes.append((page_key, _stored(response, pages_generation), timeout))
            response["X-Page-Cache"] = "miss"
        if (frame_entry := frame.entry()) is not None:
            writes.append(frame_entry)
        set_each(cache, writes)
        return response
