"""The neutral shape every reader produces: one `SourceItem` per entry, whatever the format it came from.

The WordPress, RSS and Atom readers translate their formats into these; everything after them (conversion,
planning, writing) knows nothing about where an item came from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class ImportProblem(Exception):
    """The import cannot start. Nothing is written.

    The message is shown to the person importing, so it says what is wrong and what to do, in plain words.
    """


class SourceError(ImportProblem):
    """The source as a whole cannot be imported: unreadable, too large, not a feed, no items."""


@dataclass(frozen=True)
class SourceImage:
    """An image the old blog shows with a post (a WordPress featured image, an RSS enclosure)."""

    url: str
    alt_text: str = ""


@dataclass
class SourceItem:
    """One entry of the source, before any decision about it.

    `kind` is "post" for blog posts; WordPress exports also carry "page" and "attachment" entries, which are
    reported and skipped. `status` is "publish" for an item that was public on the old blog, "draft" for one that
    was not, and "trash" for one that must never be imported.
    """

    position: int
    title: str
    guid: str = ""
    link: str = ""
    slug: str = ""
    published: datetime.datetime | None = None
    summary_html: str = ""
    content_html: str = ""
    content_is_raw_wordpress: bool = False
    tags: list[str] = field(default_factory=list)
    author: str = ""
    kind: str = "post"
    status: str = "publish"
    featured_image: SourceImage | None = None

    @property
    def identity(self) -> str:
        """What a later run matches this item by: its GUID, else its link."""
        return self.guid or self.link

    @property
    def label(self) -> str:
        """How the report names the item: its title, else its position in the file."""
        return self.title or f"Item {self.position} (no title)"


@dataclass
class ParsedSource:
    """Everything a reader found: the items in file order, the old site's address, and what it noticed."""

    format_name: str
    site_url: str
    items: list[SourceItem]
    warnings: list[str] = field(default_factory=list)
