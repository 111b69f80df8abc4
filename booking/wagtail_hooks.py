"""Admin registration: the OfficeHours snippet and the appointment-request inbox (wagtail-modeladmin)."""

from django.utils.html import format_html_join
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from booking.admin_views import AppointmentRequestIndexView
from booking.models import AppointmentRequest, OfficeHours


class OfficeHoursViewSet(SnippetViewSet):
    model = OfficeHours
    icon = "time"
    menu_label = "Office hours"
    menu_name = "office-hours"
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["name", "timezone"]


register_snippet(OfficeHoursViewSet)


class AppointmentRequestPermissionHelper(PermissionHelper):
    """Requests come from the website only; the counselor changes their status or deletes them."""

    def user_can_create(self, user) -> bool:
        return False


# What the counselor sees of a request in the inspect view and gets in the CSV export.
REQUEST_FIELDS = (
    "submit_time",
    "status",
    "name",
    "email",
    "phone",
    "preferred_contact",
    "preferred_times",
    "message",
    "consent",
)


class AppointmentRequestAdmin(ModelAdmin):
    model = AppointmentRequest
    menu_label = "Appointment requests"
    menu_icon = "mail"
    menu_order = 250
    add_to_settings_menu = False
    permission_helper_class = AppointmentRequestPermissionHelper
    index_view_class = AppointmentRequestIndexView
    inspect_view_enabled = True
    list_display = ("submit_time", "name", "contact", "status", "mail")
    list_filter = ("status", "submit_time")
    search_fields = ("name", "email", "phone")
    ordering = ("-submit_time",)
    list_per_page = 50
    list_export = REQUEST_FIELDS
    export_filename = "appointment-requests"
    inspect_view_fields = REQUEST_FIELDS
    panels = [
        FieldPanel("status", heading="Status"),
        MultiFieldPanel(
            [
                FieldPanel("submit_time", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("phone", read_only=True),
                FieldPanel("preferred_contact", read_only=True),
                FieldPanel("preferred_times", read_only=True),
                FieldPanel("message", read_only=True),
                FieldPanel("consent", read_only=True),
            ],
            heading="Request",
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("emails")

    def mail(self, obj: AppointmentRequest) -> str:
        return format_html_join(
            ", ", "{}: {}", ((email.kind, email.get_status_display().lower()) for email in obj.emails.all())
        )

    mail.short_description = "Emails"


modeladmin_register(AppointmentRequestAdmin)
