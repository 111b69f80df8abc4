"""Reading what results show, cheaply and for any page type: specific pages in one query, a body's plain text,
and `SearchResults`, the paginated sequence both search paths return.

`specific_pages` joins every page type's table in one query (Django fills a child model's inherited fields from the
parent row), where `.specific()` takes one query per type. `body_text` walks a StreamField's stored JSON with the
block definitions and keeps only text blocks, so no block is converted (an image block would read its image).
"""

from __future__ import annotations

import html
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.models import Page, get_page_models


@cache
def specific_paths() -> dict[type[Page], tuple[str, ...]]:
    """For each concrete page type, the reverse one-to-one accessors from Page down to it: ("blogpage",)."""
    paths: dict[type[Page], tuple[str, ...]] = {}
    for model in get_page_models():
        chain: list[str] = []
        current = model
        while current is not Page:
            parent, link = next((p, f) for p, f in current._meta.parents.items() if f is not None)
            chain.append(link.remote_field.get_accessor_name())
            current = parent
        paths[model] = tuple(reversed(chain))
    return paths


def specific_pages(pks: Iterable[int]) -> list[Page]:
    """The specific pages with these ids, in this order, in one query."""
    pks = list(pks)
    paths = specific_paths()
    lookups = ["__".join(path) for path in paths.values() if path]
    found = {}
    for page in Page.objects.filter(pk__in=pks).select_related(*lookups):
        specific = page
        try:
            for accessor in paths.get(page.specific_class, ()):
                specific = getattr(specific, accessor)
        except Page.DoesNotExist:  # a row missing from a child table: let Wagtail sort it out
            specific = page.specific
        found[page.pk] = specific
    return [found[pk] for pk in pks if pk in found]


class SearchResults(Sequence):
    """Search results for Django's Paginator: `count()`, and slices of specific pages read only when asked for.

    Subclasses give `count()` and `_slice(start, stop)`; `expect(start, stop)` is told beforehand which slice the
    paginator will most likely ask for, for subclasses that can read it together with the count.
    """

    def expect(self, start: int, stop: int) -> None:
        """Nothing to prepare unless a subclass can use it."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def _slice(self, start: int, stop: int) -> list[Page]: ...

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop, _ = key.indices(self.count())
        return self._slice(start, stop)


def _texts(block: blocks.Block, value) -> Iterator[str]:
    if value is None:
        return
    if isinstance(block, blocks.RichTextBlock):
        yield html.unescape(strip_tags(str(value)))
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        yield str(value)
    elif isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        for name, child in block.child_blocks.items():
            yield from _texts(child, value.get(name))
    elif isinstance(block, blocks.ListBlock) and isinstance(value, list):
        for item in value:
            is_wrapped = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            yield from _texts(block.child_block, item["value"] if is_wrapped else item)
    elif isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item.get("type") in block.child_blocks:
                yield from _texts(block.child_blocks[item["type"]], item.get("value"))


def body_text(page: Page) -> str:
    """The plain text of the page's `body`: a StreamField's text blocks, or a rich text field's words."""
    body = getattr(page, "body", None)
    if not body:
        return ""
    stream_block = getattr(body, "stream_block", None)
    if stream_block is not None:
        return " ".join(text.strip() for text in _texts(stream_block, list(body.raw_data)) if text.strip())
    return html.unescape(strip_tags(str(body)))
