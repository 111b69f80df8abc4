"""The appointment-request inbox in the admin: its viewset, a menu item that counts new requests, and the
dashboard panel that lists the newest ones.

Requests come from the website only, so the viewset has no "add" or generic "edit" view: the counselor reads a
request and moves its status with one click (`booking.admin_views.ChangeStatusView`), or deletes it.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import path, reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from booking.admin_views import (
    AppointmentRequestDetailView,
    AppointmentRequestIndexView,
    ChangeStatusView,
    local_time_text,
)
from booking.models import AppointmentRequest

DASHBOARD_NEWEST = 5
# Short, so the count of new requests fits in the sidebar: "Requests (3 new)".
MENU_LABEL = "Requests"

# What the counselor gets in the CSV export.
EXPORT_FIELDS = [
    "submit_time",
    "status",
    "name",
    "email",
    "phone",
    "preferred_contact",
    "preferred_times",
    "message",
    "consent",
]


def new_requests() -> QuerySet[AppointmentRequest]:
    return AppointmentRequest.objects.filter(status=AppointmentRequest.Status.NEW)


def may_read_requests(user: AbstractBaseUser | AnonymousUser) -> bool:
    # The policy the viewset's own views check (Wagtail 8 registers one per model).
    return policy_registry.get_by_type(AppointmentRequest).user_has_any_permission(
        user, ["view", "change", "delete"]
    )


class InboxMenuItem(MenuItem):
    """The menu entry, labelled with the number of new requests: "Requests (3 new)"."""

    def is_shown(self, request) -> bool:
        return may_read_requests(request.user)

    def render_component(self, request):
        count = new_requests().count()
        label = f"{self.label} ({count} new)" if count else self.label
        return LinkMenuItem(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )


class NewRequestsPanel(Component):
    """Dashboard panel: how many requests are new, and the newest few with their local time."""

    name = "new_appointment_requests"
    template_name = "booking/admin/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context: dict) -> dict:
        waiting = new_requests().order_by("-submit_time", "-pk")
        return {
            "count": waiting.count(),
            "newest": [
                {
                    "request": request,
                    "sent": local_time_text(request.submit_time),
                    "url": reverse(viewset.get_url_name("inspect"), args=[request.pk]),
                }
                for request in waiting[:DASHBOARD_NEWEST]
            ],
            "inbox_url": reverse(viewset.get_url_name("index")) + "?status=new",
        }


class AppointmentRequestViewSet(ModelViewSet):
    model = AppointmentRequest
    icon = "mail"
    menu_label = MENU_LABEL
    menu_name = "appointment-requests"
    menu_order = 250
    add_to_admin_menu = True
    menu_item_class = InboxMenuItem
    url_prefix = "appointment-requests"
    name = "appointment_requests"
    index_view_class = AppointmentRequestIndexView
    inspect_view_class = AppointmentRequestDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["status"]
    search_fields = ["name", "email", "phone"]
    ordering = ["-submit_time", "-pk"]
    list_per_page = 50
    list_export = EXPORT_FIELDS
    export_filename = "appointment-requests"
    # ModelViewSet requires a form definition even though no add or edit view is registered.
    form_fields = ["status"]

    def get_common_view_kwargs(self, **kwargs) -> dict:
        # Requests are not written or edited in the admin: no add or edit links anywhere.
        return {**super().get_common_view_kwargs(**kwargs), "add_url_name": None, "edit_url_name": None}

    def get_inspect_view_kwargs(self, **kwargs) -> dict:
        return super().get_inspect_view_kwargs(status_url_name=self.get_url_name("status"), **kwargs)

    @property
    def status_view(self):
        return self.construct_view(ChangeStatusView, inspect_url_name=self.get_url_name("inspect"))

    def get_urlpatterns(self) -> list:
        kept = [pattern for pattern in super().get_urlpatterns() if pattern.name not in {"add", "edit"}]
        return [*kept, path("status/<int:pk>/", self.status_view, name="status")]


viewset = AppointmentRequestViewSet()
