"""The few private attributes of Wagtail, treebeard and Django that the site relies on, all here and nowhere else.

Each one saves queries or cache round trips that no public API can: the frame cache hands Wagtail a site and the
sites' root paths it already holds, blog routing hands a post the index it came through, and feeds convert the
bodies of many posts with one `bulk_to_python` call per block type. An upgrade that renames or reshapes any of
them makes tests/test_wagtail_internals.py fail, rather than quietly costing queries or serving a stale site.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from wagtail.blocks import Block, StreamValue
from wagtail.models import Page, Site


def raw_host(request: HttpRequest) -> str:
    """The request's host as sent, without Django's ALLOWED_HOSTS check (as Wagtail's site lookup reads it)."""
    return request._get_raw_host()


def give_site(request: HttpRequest, site: Site | None) -> None:
    """Make `site` the answer of `Site.find_for_request(request)`, which keeps its answer on the request."""
    request._wagtail_site = site


def give_site_root_paths(request: HttpRequest, root_paths: list) -> None:
    """Make `root_paths` (as `Site.get_site_root_paths()` returns them) what `Page.get_url(request)` reads."""
    request._wagtail_cached_site_root_paths = root_paths


def has_site_root_paths(request: HttpRequest) -> bool:
    return hasattr(request, "_wagtail_cached_site_root_paths")


def give_parent(page: Page, parent: Page) -> None:
    """Make `parent` the answer of `page.get_parent()` (treebeard keeps it on the page), saving its query."""
    page._cached_parent_obj = parent


def given_parent(page: Page) -> Page | None:
    """The parent handed to `page` by `give_parent` (or already read by `get_parent()`), if any."""
    return getattr(page, "_cached_parent_obj", None)


def unconverted_blocks(stream: StreamValue) -> Iterator[tuple[int, dict]]:
    """(position, raw block) for each block of `stream` not yet converted to its Python value."""
    for position, raw in enumerate(stream._raw_data):
        if stream._bound_blocks[position] is None and raw is not None:
            yield position, raw


def set_converted_block(stream: StreamValue, position: int, block: Block, value: object) -> None:
    """Store the converted `value` of the raw block at `position`, as `stream[position]` would after converting it."""
    stream._bound_blocks[position] = StreamValue.StreamChild(
        block, value, id=stream._raw_data[position].get("id")
    )
