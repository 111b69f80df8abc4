"""The home page and the standard pages (about, services, fees, privacy)."""

import copy

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BaseStreamBlock, HomeStreamBlock
from home.frame_cache import remember_until_publish
from home.visibility import KnownRestrictionsMixin
from home.wagtail_internals import give_parent


class HomePage(KnownRestrictionsMixin, Page):
    body = StreamField(HomeStreamBlock(), blank=True, verbose_name="body")

    content_panels = [*Page.content_panels, FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Every other page is found under one of the home page's children (the blog, the contact page, the
        standard pages), each kept in the request's frame until the next publish once found, instead of Page.route's
        two queries (the child, then its specific row) on every request. Each request gets its own copy."""
        if not path_components:
            return super().route(request, path_components)
        slug = path_components[0]
        child = copy.copy(
            remember_until_publish(f"child:{self.pk}:{slug}", lambda: self._specific_child(slug))
        )
        give_parent(child, self)
        return child.route(request, path_components[1:])

    def _specific_child(self, slug: str) -> Page:
        """The child with this slug as its specific type; Http404 if there is none (a miss is never kept, so
        unknown slugs cannot grow the frame)."""
        child = self.get_children().filter(slug=slug).first()
        if child is None:
            raise Http404
        return child.specific


class StandardPage(KnownRestrictionsMixin, Page):
    """A page of plain content: about, services, fees, privacy."""

    introduction = models.TextField(
        blank=True,
        max_length=400,
        verbose_name="introduction",
        help_text="One or two sentences shown under the title and used as the page's summary.",
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name="body")

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "standard page"

    @property
    def summary(self) -> str:
        return self.search_description or self.introduction
