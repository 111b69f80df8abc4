"""The home page and the standard pages (about, services, fees, privacy)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BaseStreamBlock, HomeStreamBlock


class HomePage(Page):
    body = StreamField(HomeStreamBlock(), blank=True, verbose_name="body")

    content_panels = [*Page.content_panels, FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"


class StandardPage(Page):
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
