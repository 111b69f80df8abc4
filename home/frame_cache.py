"""What every page's frame needs (the site, the menu, the practice settings, the office hours), kept in the cache.

The pieces of one host's frame are stored together, under one key, with the frame generation they were built in
(`home.page_cache`): the page cache middleware reads them in the same round trip as the generations and the page
itself, and writes them back, with any piece built during the request, in the same round trip as the page. So an
uncached page talks to Redis twice, however many pieces its templates ask for. A piece from an older generation
is never used: the same publish, settings save or snippet edit that changes the frame starts a new generation.

`remember(name, build)` answers from the request's frame; outside a request (a Celery task, a management command)
it simply builds. `remember_until_publish(name, build)` keeps what any publish may change (which pages are
private, the blog's tags and archive, the top-level pages routing starts from) in the same entry, under the
pages' generation: after a new post only the first uncached page builds them again, not every page.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from wagtail.models import Site

from home.wagtail_internals import give_site, give_site_root_paths, has_site_root_paths, raw_host

T = TypeVar("T")
FRAME_CACHE_SECONDS = 3600


@dataclass
class Frame:
    """One request's view of its host's cached frame."""

    key: str
    generation: int | None
    pieces: dict[str, Any] = field(default_factory=dict)
    pages_generation: int | None = None
    page_pieces: dict[str, Any] = field(default_factory=dict)
    changed: bool = False

    def entry(self) -> tuple[str, dict[str, Any], int] | None:
        """(key, value, timeout) to store once the response is ready, or None if there is nothing new to keep."""
        if not self.changed or self.generation is None:
            return None
        value = {
            "generation": self.generation,
            "pieces": self.pieces,
            "pages_generation": self.pages_generation,
            "page_pieces": self.page_pieces,
        }
        return self.key, value, FRAME_CACHE_SECONDS


_current: ContextVar[Frame | None] = ContextVar("frame", default=None)


def frame_key(host: str) -> str:
    return f"frame:{host}"


def open_frame(
    host: str, generation: int | None, pages_generation: int | None, stored: object
) -> tuple[Frame, Token]:
    """Make `stored` (what the cache held for this host) the frame of the current request, keeping each part
    only if it was built in the current generation: the frame's pieces in the frame's, the others in the pages'."""
    stored = stored if isinstance(stored, dict) else {}
    frame = Frame(
        frame_key(host),
        generation,
        _current_pieces(stored, "generation", "pieces", generation),
        pages_generation,
        _current_pieces(stored, "pages_generation", "page_pieces", pages_generation),
    )
    return frame, _current.set(frame)


def _current_pieces(
    stored: dict, generation_key: str, pieces_key: str, generation: int | None
) -> dict[str, Any]:
    if generation is None or stored.get(generation_key) != generation:
        return {}
    return dict(stored.get(pieces_key) or {})


def close_frame(token: Token) -> None:
    _current.reset(token)


def remember(name: str, build: Callable[[], T]) -> T:
    """The frame's value of `build()` for this generation, building it on first use."""
    frame = _current.get()
    if frame is None:
        return build()
    return _remembered(frame, frame.pieces, name, build)


def remember_until_publish(name: str, build: Callable[[], T]) -> T:
    """The value of `build()` for this generation of the pages: built again after any publish, unpublish, move,
    deletion, view restriction, snippet or settings change."""
    frame = _current.get()
    if frame is None or frame.pages_generation is None:
        return build()
    return _remembered(frame, frame.page_pieces, name, build)


def _remembered(frame: Frame, pieces: dict[str, Any], name: str, build: Callable[[], T]) -> T:
    if name not in pieces:
        pieces[name] = build()
        frame.changed = True
    return pieces[name]


class CachedSiteMiddleware:
    """Finds the Wagtail Site for the request's host once per frame generation rather than once per request.

    Wagtail's `Site.find_for_request` keeps its answer on the request; this fills that in from the frame
    (`home.wagtail_internals`), so Wagtail's own code and ours both see the cached site. `Page.get_url` keeps every
    site's root paths on the request: the page cache middleware puts them there from its first read; when the
    cache had none, they are looked up (and cached) here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        give_site(request, remember(f"site:{raw_host(request)}", lambda: find_site(request)))
        if not has_site_root_paths(request):
            give_site_root_paths(request, Site.get_site_root_paths())
        return self.get_response(request)


def find_site(request: HttpRequest) -> Site | None:
    """Wagtail's site lookup, with the root page loaded (as its specific type) so the cached copy carries it."""
    site = Site.find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site
