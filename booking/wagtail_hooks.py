"""Admin registration: the OfficeHours snippet, the appointment-request inbox and its dashboard panel."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from booking import inbox
from booking.models import OfficeHours


class OfficeHoursViewSet(SnippetViewSet):
    model = OfficeHours
    icon = "time"
    menu_label = "Office hours"
    menu_name = "office-hours"
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["name", "timezone"]


register_snippet(OfficeHoursViewSet)


@hooks.register("construct_snippet_action_menu")
def publish_office_hours_first(menu_items: list, request, context: dict) -> None:
    """The counselor publishes the hours herself: "Publish" is the main button, "Save draft" one step away."""
    if context.get("model") is not OfficeHours:
        return
    for index, item in enumerate(menu_items):
        if item.name == "action-publish":
            menu_items.insert(0, menu_items.pop(index))
            return


@hooks.register("register_admin_viewset")
def register_inbox():
    return inbox.viewset


@hooks.register("construct_homepage_panels")
def add_new_requests_panel(request, panels: list) -> None:
    if inbox.may_read_requests(request.user):
        panels.append(inbox.NewRequestsPanel())


@hooks.register("insert_global_admin_css")
def booking_admin_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("booking/admin.css"))
