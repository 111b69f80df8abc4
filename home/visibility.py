"""Which pages the public may see, decided here and nowhere else.

Every list a visitor or a crawler gets starts from `public_pages()`: the blog's index, tags, archives, feeds and
related posts (`blog.queries`), the main menu (`home.templatetags.site_tags`), search, suggestions and promotions
(`search.visibility`) and the sitemap (`home.sitemap`). A page is public when it is

- live: not a draft, and not waiting for its go-live date (Wagtail keeps a scheduled page unpublished until
  `publish_scheduled` publishes it);
- not expired: its expiry date, if any, is still ahead (an expired page stays live until the next run of
  `publish_scheduled` unpublishes it);
- not private: neither the page nor any page above it has a view restriction (password, login or groups).

The restriction test is a correlated subquery rather than Wagtail's `.public()`, which reads every restriction in a
query of its own first, so a list costs the same number of queries however many pages and restrictions exist; search
asks for the other form (`read_restrictions_first`), see `public_pages`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

PageT = TypeVar("PageT", bound=Page)


def restricted() -> Exists:
    """True for a page that has, or sits below a page that has, a view restriction."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path")),
        )
    )


def unexpired(now: datetime | None = None) -> Q:
    """True for a page with no expiry date, or one still ahead of `now` (default: this moment)."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def restricted_paths_q() -> Q:
    """The same test as `restricted()`, with the restricted pages' paths read now (one short query) and written
    into the condition, as Wagtail's `.public()` does: no restriction, no condition at all."""
    condition = Q(pk__in=[])
    for path in PageViewRestriction.objects.values_list("page__path", flat=True).distinct():
        condition |= Q(path__startswith=path)
    return condition


def public_pages(
    pages: QuerySet[PageT] | None = None,
    *,
    now: datetime | None = None,
    read_restrictions_first: bool = False,
) -> QuerySet[PageT]:
    """`pages` (default: every page) narrowed to those the public may see at `now` (default: this moment).

    `read_restrictions_first` trades one query for a plainer condition: for a query that counts every match, such
    as a search, where a correlated subquery can lead PostgreSQL's planner astray (on a new install's unanalyzed
    tables it scans every page for each page tested).
    """
    pages = Page.objects.all() if pages is None else pages
    private = restricted_paths_q() if read_restrictions_first else restricted()
    return pages.filter(live=True).filter(unexpired(now)).exclude(private)
