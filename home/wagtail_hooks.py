"""Wagtail hooks of the home app; each feature keeps its hooks in its own module."""

from wagtail import hooks

from home.admin_branding import hide_wagtail_help
from home.publishing import announce_approval, arrange_action_menu

hooks.register("construct_page_action_menu", arrange_action_menu)
hooks.register("after_edit_page", announce_approval)
hooks.register("construct_main_menu", hide_wagtail_help)
