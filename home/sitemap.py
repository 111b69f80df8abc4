"""The sitemap at /sitemap.xml: Wagtail's generator over the pages `home.visibility.public_pages` lets through.

Wagtail's own `Sitemap.items()` keeps live pages under no view restriction but lists an expired page until
`publish_scheduled` takes it down; this one asks the same rule as every other public list.
"""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.visibility import public_pages


class PublicSitemap(Sitemap):
    def items(self) -> QuerySet[Page]:
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        return public_pages(pages).order_by("path").defer_streamfields().specific()
