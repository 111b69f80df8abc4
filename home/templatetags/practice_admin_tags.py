"""Tags for the admin's own templates and Wagtail's notification emails: the practice's name and its public
address, so the editor and its emails speak for the practice rather than for Wagtail or `localhost`."""

from __future__ import annotations

from django import template
from django.conf import settings
from wagtail.models import Page, Site

from home.models import PracticeSettings
from home.publishing import scheduled_go_live

register = template.Library()


def _site(context) -> Site | None:
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


@register.simple_tag(takes_context=True)
def practice_name(context) -> str:
    """The name under Settings > Practice details, or WAGTAIL_SITE_NAME before any site exists."""
    site = _site(context)
    if site is None:
        return settings.WAGTAIL_SITE_NAME
    return PracticeSettings.for_site(site).practice_name or settings.WAGTAIL_SITE_NAME


@register.simple_tag
def public_url(page: Page) -> str:
    """The page's address on the public site, built on SITE_URL (not the Site record's host name)."""
    parts = page.get_url_parts()
    path = parts[2] if parts else "/"
    return f"{settings.SITE_URL}{path}"


@register.simple_tag
def admin_url(path: str) -> str:
    """An admin path made absolute on the site's real address (WAGTAILADMIN_BASE_URL comes from SITE_URL)."""
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


@register.simple_tag
def publication(page: Page) -> dict:
    """The page's state as it is now in the database (a notification's page may predate its publishing):
    whether it is live, its public address, and when a scheduled version goes live."""
    current = Page.objects.get(pk=page.pk)
    return {"live": current.live, "url": public_url(current), "go_live_at": scheduled_go_live(current)}
