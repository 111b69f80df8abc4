"""The admin speaks for the practice: no Wagtail help menu (its editor guide and release notes live on another
site and talk about Wagtail, not about this website). The name and logo come from templates/wagtailadmin/."""

from __future__ import annotations

from django.http import HttpRequest
from wagtail.admin.menu import MenuItem

WAGTAIL_HELP_MENU = "help"


def hide_wagtail_help(request: HttpRequest, menu_items: list[MenuItem]) -> None:
    """construct_main_menu hook."""
    menu_items[:] = [item for item in menu_items if item.name != WAGTAIL_HELP_MENU]
