"""Which pages the public may see, decided here and nowhere else.

Every list a visitor or a crawler gets starts from `public_pages()`: the blog's index, tags, archives, feeds and
related posts (`blog.queries`), the main menu (`home.templatetags.site_tags`), search, suggestions and promotions
(`search.visibility`) and the sitemap (`home.sitemap`). A page is public when it is

- live: not a draft, and not waiting for its go-live date (Wagtail keeps a scheduled page unpublished until
  `publish_scheduled` publishes it);
- not expired: its expiry date, if any, is still ahead (an expired page stays live until the next run of
  `publish_scheduled` unpublishes it);
- not private: neither the page nor any page above it has a view restriction (password, login or groups).

The restricted pages' paths are read in one short query and written into the condition, as Wagtail's `.public()`
does (no restriction, no condition at all); during a request they are read once per generation of the pages
(`home.frame_cache.remember_until_publish`), so a list costs no query for them, however many pages and
restrictions exist. The same paths answer Wagtail's view-restriction check when a page is served
(`KnownRestrictionsMixin`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from home.frame_cache import remember_until_publish

PageT = TypeVar("PageT", bound=Page)


@dataclass(frozen=True)
class PrivatePaths:
    """The tree paths of the pages with a view restriction, and of the alias pages (an alias takes its source's
    restrictions, which only Wagtail's own check follows)."""

    restricted: tuple[str, ...]
    aliases: tuple[str, ...]

    def may_restrict(self, path: str) -> bool:
        """Whether a page at `path` may be under a view restriction: it, or a page above it, is restricted or
        an alias."""
        return path.startswith(self.restricted + self.aliases)


def private_paths() -> PrivatePaths:
    return remember_until_publish("private-paths", _read_private_paths)


def _read_private_paths() -> PrivatePaths:
    rows = (
        Page.objects.filter(Q(view_restrictions__isnull=False) | Q(alias_of__isnull=False))
        .values_list("path", "alias_of_id")
        .distinct()
        .order_by("path")
    )
    restricted, aliases = [], []
    for path, alias_of in rows:
        (aliases if alias_of is not None else restricted).append(path)
    return PrivatePaths(tuple(restricted), tuple(aliases))


def unexpired(now: datetime | None = None) -> Q:
    """True for a page with no expiry date, or one still ahead of `now` (default: this moment)."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def restricted_q() -> Q:
    """True for a page that has, or sits below a page that has, a view restriction."""
    condition = Q(pk__in=[])
    for path in private_paths().restricted:
        condition |= Q(path__startswith=path)
    return condition


def public_pages(pages: QuerySet[PageT] | None = None, *, now: datetime | None = None) -> QuerySet[PageT]:
    """`pages` (default: every page) narrowed to those the public may see at `now` (default: this moment)."""
    pages = Page.objects.all() if pages is None else pages
    return pages.filter(live=True).filter(unexpired(now)).exclude(restricted_q())


class KnownRestrictionsMixin:
    """For page models: Wagtail's view-restriction check, run on every page served, reads the page's ancestors and
    then their restrictions (two queries). A page that neither the restricted nor the alias paths cover has none,
    which `private_paths` already knows; any other page gets Wagtail's own answer."""

    def get_view_restrictions(self):
        if self.alias_of_id is None and not private_paths().may_restrict(self.path):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
