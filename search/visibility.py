"""Which pages a search may find, for one request: the public pages (`home.visibility`) of the visitor's site.

The search itself, the promotions, the suggestions and the no-results helpers all start from one `Findable`, so they
agree on what a visitor may see.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Page, Site

from home.visibility import public_pages


class Findable:
    """The pages a visitor may find: public at the moment this is made, and in `site` (if given).

    The view restrictions are read once (`home.visibility`), and shared by every queryset built from it (the
    search, the promotions, the no-results helpers): every match is counted, and a plain condition keeps the plan
    simple.
    """

    def __init__(self, site: Site | None) -> None:
        pages = Page.objects.all()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        else:
            pages = pages.filter(depth__gt=1)
        self.pages: QuerySet[Page] = public_pages(pages, now=timezone.now())

    @property
    def for_search_backend(self) -> QuerySet[Page]:
        """For `.search()`/`.autocomplete()`, whose backends accept only filters on FilterFields (id, path, depth,
        live...): the public test becomes a subquery on ids."""
        return Page.objects.filter(pk__in=self.pages.values("pk"))
