"""The appointment-request inbox's admin views, with CSV exports a spreadsheet cannot run as formulas.

The inbox is a Wagtail ModelViewSet (`booking.inbox`): a list to choose whom to call first, one page per request
with everything the counselor needs to reply (local times, tap-to-call and mailto links, plain labels), and a
one-click status change (new -> contacted -> closed) posted from that page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.contrib.forms.views import SubmissionsListView

from booking.models import AppointmentRequest
from booking.services import set_request_status
from home.spreadsheet_export import FormulaEscapingExportMixin, escape_csv_formula  # noqa: F401 - tests use it

SUBMITTED_FORMAT = "D j M Y, g:i A"
Status = AppointmentRequest.Status


def local_time_text(moment: datetime) -> str:
    """A moment in the admin's time zone (the practice's, unless the user chose another), e.g. "Tue 1 Dec 2026,
    7:24 PM"."""
    return format_date(timezone.localtime(moment), SUBMITTED_FORMAT)


def tel_href(phone: str) -> str:
    """A `tel:` link for a phone number as a visitor typed it, or "" when it holds no digits to dial."""
    digits = re.sub(r"[^\d]", "", phone)
    if not digits:
        return ""
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


@dataclass(frozen=True)
class StatusAction:
    """A button on a request's page that moves it to `status`; `primary` marks the usual next step."""

    status: str
    label: str
    primary: bool = False


STATUS_ACTIONS: dict[str, tuple[StatusAction, ...]] = {
    Status.NEW: (
        StatusAction(Status.CONTACTED, "Mark as contacted", primary=True),
        StatusAction(Status.CLOSED, "Close without contact"),
    ),
    Status.CONTACTED: (
        StatusAction(Status.CLOSED, "Close", primary=True),
        StatusAction(Status.NEW, "Move back to new"),
    ),
    Status.CLOSED: (StatusAction(Status.NEW, "Reopen as new"),),
}
STATUS_DONE_MESSAGES = {
    Status.NEW: "{name}'s request is new again.",
    Status.CONTACTED: "{name}'s request is marked as contacted.",
    Status.CLOSED: "{name}'s request is closed.",
}


class OptionalColumn(Column):
    """A column for answers the visitor may leave empty."""

    empty_value_display = "Not given"


class PhoneColumn(OptionalColumn):
    """The phone number as a tap-to-call link."""

    cell_template_name = "booking/admin/phone_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["href"] = tel_href(instance.phone)
        return context


class AppointmentRequestIndexView(FormulaEscapingExportMixin, IndexView):
    """The inbox list: what the counselor needs to choose whom to call first, newest first, and its CSV export."""

    @cached_property
    def columns(self):
        return [
            Column(
                "submit_time",
                label="Sent",
                accessor=lambda request: local_time_text(request.submit_time),
                sort_key="submit_time",
                classname="booking-inbox__nowrap",
            ),
            self._get_title_column("name"),
            OptionalColumn("preferred_contact", label="Prefers"),
            PhoneColumn("phone", label="Phone", classname="booking-inbox__nowrap"),
            OptionalColumn("preferred_times", label="Preferred times"),
            StatusTagColumn(
                "status",
                accessor="get_status_display",
                label="Status",
                sort_key="status",
                primary=lambda request: request.status == Status.NEW,
            ),
        ]


class AppointmentRequestDetailView(InspectView):
    """One request on one screen, with the buttons that move it on."""

    template_name = "booking/admin/request_detail.html"
    status_url_name: str | None = None

    page_title = "Appointment request"

    def get_page_subtitle(self) -> str:
        return self.object.name

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        request = self.object
        context.update(
            {
                "submitted": local_time_text(request.submit_time),
                "tel_href": tel_href(request.phone),
                "extra_answers": self.extra_answers(),
                "status_actions": STATUS_ACTIONS[request.status]
                if self.user_has_permission("change")
                else (),
                "status_url": reverse(self.status_url_name, args=[request.pk]),
                "source_page": request.page.specific_deferred,
            }
        )
        return context

    def extra_answers(self) -> list[tuple[str, str]]:
        """Answers to fields an editor added to the contact form, under each field's label."""
        labels = {field.clean_name: field.label for field in self.object.page.specific.form_fields.all()}
        return [
            (
                labels.get(name, name.replace("_", " ").capitalize()),
                ", ".join(map(str, value)) if isinstance(value, list) else value,
            )
            for name, value in self.object.form_data.items()
        ]


class ChangeStatusView(PermissionCheckedMixin, View):
    """POST only: move a request to another status (CSRF-protected by Django's middleware)."""

    http_method_names = ["post"]
    permission_required = "change"
    model = AppointmentRequest
    inspect_url_name: str | None = None

    def post(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        appointment = get_object_or_404(AppointmentRequest, pk=pk)
        status = request.POST.get("status", "")
        if status not in Status.values:
            messages.error(request, "That status does not exist; nothing was changed.")
        else:
            set_request_status(request=appointment, status=Status(status))
            messages.success(request, STATUS_DONE_MESSAGES[status].format(name=appointment.name))
        return HttpResponseRedirect(reverse(self.inspect_url_name, args=[appointment.pk]))


class ContactSubmissionsListView(FormulaEscapingExportMixin, SubmissionsListView):
    """Wagtail's own submissions listing for a contact page exports the same data: escape it too."""
