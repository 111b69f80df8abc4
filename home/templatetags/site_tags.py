"""Template tags for the site's frame: the main menu and the footer's pages."""

from django import template
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page, PageViewRestriction, Site

from home.frame_cache import remember

register = template.Library()


def _site_root(context) -> Page | None:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return remember(f"site-root:{site.pk}", lambda: site.root_page) if site else None


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """Top-level live, public pages marked "show in menus", in the order editors arranged them."""
    root = _site_root(context)
    items = remember(f"main-menu:{root.pk}", lambda: _menu_items(root)) if root else []
    current = context.get("page")
    current_path = getattr(current, "url_path", "")
    items = [
        {**item, "is_current": bool(current_path) and current_path.startswith(item["url_path"])}
        for item in items
    ]
    is_home = bool(root and current and current.pk == root.pk)
    return {"root_url": root.url if root else None, "items": items, "is_home": is_home}


def _menu_items(root: Page) -> list[dict]:
    restricted = PageViewRestriction.objects.values("page__path")
    pages = (
        root.get_children()
        .live()
        .in_menu()
        .exclude(Exists(restricted.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))))
    )
    return [{"title": page.title, "url": page.url, "url_path": page.url_path} for page in pages]


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
