"""Render posts for readers outside the site (feeds), with a fixed number of queries for many posts.

`prefetch_streams` converts the StreamField bodies of many posts together: each block type's `bulk_to_python`
runs once across all posts (one query for every image, one for every linked page) instead of once per post, and
the images' renditions are prefetched in one more query. `absolutize_urls` turns the site-relative links and
image sources that Wagtail renders into absolute URLs on the Wagtail Site, as feed readers need.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urljoin

from django.db.models import prefetch_related_objects
from wagtail.blocks import StreamValue
from wagtail.images.models import AbstractImage

from home.wagtail_internals import set_converted_block, unconverted_blocks

URL_ATTRIBUTE = re.compile(r"""(?P<attr>\b(?:href|src|poster))=(?P<quote>["'])(?P<url>[^"']*)(?P=quote)""")
SRCSET_ATTRIBUTE = re.compile(r"""(?P<attr>\bsrcset)=(?P<quote>["'])(?P<value>[^"']*)(?P=quote)""")


def prefetch_streams(values: Iterable[StreamValue]) -> None:
    """Convert every block of these stream values with one `bulk_to_python` call per block type."""
    pending: dict[str, list[tuple[StreamValue, int]]] = defaultdict(list)
    for stream in values:
        for position, raw in unconverted_blocks(stream):
            pending[raw["type"]].append((stream, position))
    images: list[AbstractImage] = []
    for type_name, positions in pending.items():
        stream_block = positions[0][0].stream_block
        child_block = stream_block.child_blocks.get(type_name)
        if child_block is None:
            continue
        converted = child_block.bulk_to_python([stream.raw_data[i]["value"] for stream, i in positions])
        for (stream, i), value in zip(positions, converted, strict=True):
            set_converted_block(stream, i, child_block, value)
            images.extend(_images_in(value))
    if images:
        prefetch_related_objects(images, "renditions")


def _images_in(value) -> list[AbstractImage]:
    if isinstance(value, AbstractImage):
        return [value]
    if hasattr(value, "values") and callable(value.values):
        return [item for child in value.values() for item in _images_in(child)]
    return []


def absolute_url(url: str, base_url: str) -> str:
    """`url` made absolute against `base_url` (e.g. "https://example.org"); fragments and mailto: untouched."""
    url = url.strip()
    if not url or url.startswith(("#", "mailto:", "tel:", "data:")):
        return url
    return urljoin(base_url.rstrip("/") + "/", url)


def absolutize_urls(html: str, base_url: str) -> str:
    """Make every href, src and srcset URL in `html` absolute against `base_url`."""

    def absolute(url: str) -> str:
        return absolute_url(url, base_url)

    def replace_url(match: re.Match) -> str:
        quote = match["quote"]
        return f"{match['attr']}={quote}{absolute(match['url'])}{quote}"

    def replace_srcset(match: re.Match) -> str:
        candidates = []
        for candidate in match["value"].split(","):
            parts = candidate.strip().split(None, 1)
            if parts:
                parts[0] = absolute(parts[0])
                candidates.append(" ".join(parts))
        quote = match["quote"]
        return f"{match['attr']}={quote}{', '.join(candidates)}{quote}"

    return SRCSET_ATTRIBUTE.sub(replace_srcset, URL_ATTRIBUTE.sub(replace_url, html))
