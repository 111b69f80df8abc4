"""The page cache: anonymous GETs of public pages are answered from Django's cache (Redis or local memory).

What is cached is decided from the finished response, so nothing personal can slip in: only 200 responses
to anonymous GET/HEAD requests (no session or messages cookie, no Authorization header), outside the excluded
prefixes (admin, search, health, documents), with no query string other than `page`, that set no cookie (a
page holding a CSRF token sets one, so forms are never cached) and are not marked private. Such a response
may say `Vary: Cookie` (templates look at the anonymous user), but without a session every visitor gets the
same page.

Invalidation is by generation: every cached key contains the current generation number, and any change that
could show on a public page (publishing, unpublishing, moving or deleting a page, editing a snippet or the site
settings) increments it, so every cached page is refreshed at once. A practice's site has a few hundred
pages, so flushing all of them is cheaper and safer than tracking which page shows what.

Content that changes at a known time (the office hours' "open now") calls `limit_cache_until` while it
renders, so the cached copy expires when the text would change.
"""

from datetime import datetime
from hashlib import sha256

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

GENERATION_KEY = "page-cache:generation"
CACHEABLE_QUERY_PARAMETERS = {"page"}


def current_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def invalidate_page_cache(**_signal_kwargs) -> None:
    """Make every cached page stale. Safe to call from any signal handler."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, current_generation() + 1, timeout=None)


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
    return f"page-cache:{current_generation()}:{sha256(location.encode()).hexdigest()}"


def _timeout(request: HttpRequest) -> int:
    timeout = settings.PAGE_CACHE_SECONDS
    valid_until = getattr(request, "page_cache_valid_until", None)
    if valid_until is not None:
        timeout = min(timeout, int((valid_until - timezone.now()).total_seconds()))
    return timeout


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            last_modified = cached.get("Last-Modified")
            conditional = get_conditional_response(
                request,
                etag=cached.get("ETag"),
                last_modified=parse_http_date_safe(last_modified) if last_modified else None,
                response=cached,
            )
            conditional["X-Page-Cache"] = "hit"
            return conditional
        response = self.get_response(request)
        if is_cacheable_response(response):
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
            response.headers.setdefault("Last-Modified", http_date())
            timeout = _timeout(request)
            if timeout > 0:
                cache.set(key, response, timeout)
            response["X-Page-Cache"] = "miss"
        return response
