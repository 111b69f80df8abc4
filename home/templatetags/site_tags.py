"""Template tags for the site's frame: the main menu, the meta description, tappable crisis numbers."""

import re

from django import template
from django.utils.html import conditional_escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from wagtail.models import Page, Site

from home.frame_cache import remember
from home.visibility import public_pages

register = template.Library()


def _site_root(context) -> Page | None:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return remember(f"site-root:{site.pk}", lambda: site.root_page) if site else None


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """Top-level public pages (home.visibility) marked "show in menus", in the order editors arranged them."""
    root = _site_root(context)
    request = context.get("request")
    items = remember(f"main-menu:{root.pk}", lambda: _menu_items(root, request)) if root else []
    current = context.get("page")
    current_path = getattr(current, "url_path", "")
    items = [
        {**item, "is_current": bool(current_path) and current_path.startswith(item["url_path"])}
        for item in items
    ]
    is_home = bool(root and current and current.pk == root.pk)
    # get_url(request) reads the sites' root paths that the request carries (home.frame_cache), not the cache.
    return {"root_url": root.get_url(request) if root else None, "items": items, "is_home": is_home}


def _menu_items(root: Page, request) -> list[dict]:
    pages = public_pages(root.get_children().in_menu())
    return [{"title": page.title, "url": page.get_url(request), "url_path": page.url_path} for page in pages]


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's absolute URL, or "" for a context without a Wagtail page (search, errors).

    `page.full_url` would look up every site's root paths in the cache for each page object; with the request
    Wagtail reads the copy the request carries (home.frame_cache).
    """
    page = context.get("page")
    if not isinstance(page, Page):
        return ""
    return page.get_full_url(context.get("request")) or ""


@register.simple_tag(takes_context=True)
def meta_description(context) -> str:
    """The page's search description, else its summary, else the practice's tagline: plain text, 300 chars."""
    page = context.get("page")
    candidates = [getattr(page, "search_description", ""), getattr(page, "summary", "")]
    practice_settings = context.get("settings")
    if practice_settings:
        candidates.append(practice_settings["home"]["PracticeSettings"].tagline)
    text = next((str(c) for c in candidates if c), "")
    return Truncator(strip_tags(text)).chars(300)


EMERGENCY_NUMBER = "911"


@register.filter
def call_links(text: str, crisis_line: str = "") -> SafeString:
    """Escape `text` and make the crisis line and 911 in it tel: links, so "call or text 988" in the counselor's
    crisis notice is one tap away on a phone. Only whole numbers match: 988 inside 19880 stays text."""
    numbers = [number for number in (str(crisis_line).strip(), EMERGENCY_NUMBER) if number.isdigit()]
    escaped = str(conditional_escape(text))
    if not numbers:
        return mark_safe(escaped)  # noqa: S308 - escaped above  # nosec B308 B703
    pattern = re.compile(r"(?<![0-9])(" + "|".join(re.escape(number) for number in numbers) + r")(?![0-9])")
    linked = pattern.sub(lambda match: f'<a href="tel:{match[1]}">{match[1]}</a>', escaped)
    return mark_safe(linked)  # noqa: S308 - the text was escaped first; only digits are added  # nosec B308 B703
