"""Signal handlers that keep cached pages true to the content: any public change refreshes the page cache."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)
from wagtail.snippets.models import get_snippet_models

from home.page_cache import invalidate_page_cache


def _on_model_saved_or_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, PageViewRestriction | Site):
        invalidate_page_cache()
        return
    if isinstance(instance, Page):
        if kwargs.get("signal") is post_delete:
            invalidate_page_cache()
        return
    if isinstance(instance, BaseSiteSetting) or sender in get_snippet_models():
        invalidate_page_cache()


def connect() -> None:
    for signal in (
        page_published,
        page_unpublished,
        page_slug_changed,
        post_page_move,
        published,
        unpublished,
    ):
        signal.connect(invalidate_page_cache, dispatch_uid=f"page-cache-{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(_on_model_saved_or_deleted, dispatch_uid=f"page-cache-model-{id(signal)}")
