"""The contact page: Wagtail's form builder, with an appointment request and its mail saved in one transaction.

Built on `wagtail.contrib.forms.AbstractForm` (not `AbstractEmailForm`, whose `send_mail` would send what the
visitor wrote, synchronously, inside the request). The documented hooks are overridden instead:
`form_builder` (limits, autocomplete, spam fields), `get_submission_class` / `process_form_submission` (the
request and its outbox rows, via `booking.services`), `serve` (through the index route: the rate limit) and `render_landing_page`
(POST-redirect-GET to the `thanks/` route, so a refresh does not send the form twice).
"""

from __future__ import annotations

import logging

from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from booking.forms.contact import ContactFormBuilder, ContactPageAdminForm, Purpose
from booking.hours import REPLY_BY_WITHOUT_HOURS
from booking.models.office_hours import OfficeHours
from booking.models.requests import AppointmentRequest
from booking.spam import hit_rate_limit
from home.blocks import BaseStreamBlock
from home.models import PracticeSettings
from home.page_cache import limit_cache_until
from home.visibility import KnownRestrictionsMixin

logger = logging.getLogger(__name__)

DEFAULT_CONFIRMATION_SUBJECT = "We received your request, {first_name}"
DEFAULT_CONFIRMATION_TEXT = (
    "Dear {first_name},\n\n"
    "Thank you for getting in touch with {practice_name}. We have received your request for an appointment. "
    "It is not yet confirmed: we will reply {reply_by} to find a time that suits you.\n\n"
    "We did not include your message in this email, because email is not a private place."
)
PLACEHOLDER_HELP = (
    "You can use {first_name}, {name}, {practice_name} and {reply_by} (e.g. “by the end of Thursday, May 7”). "
    "Anything else in braces is shown as written."
)


class ContactFormField(AbstractFormField):
    page = ParentalKey("booking.ContactPage", on_delete=models.CASCADE, related_name="form_fields")
    purpose = models.CharField(
        max_length=30,
        choices=Purpose.choices,
        blank=True,
        default="",
        verbose_name="used as",
        help_text="What the practice uses this answer for. The name and the email address are required.",
    )

    panels = [*AbstractFormField.panels, FieldPanel("purpose")]


class ContactPage(KnownRestrictionsMixin, RoutablePageMixin, AbstractForm):
    intro = StreamField(BaseStreamBlock(), blank=True, verbose_name="introduction")
    thank_you_body = StreamField(
        BaseStreamBlock(),
        blank=True,
        verbose_name="thank-you text",
        help_text="Shown after a request is sent, above what happens next and the expected reply time.",
    )
    notification_email = models.EmailField(
        blank=True,
        verbose_name="send new requests to",
        help_text="The counselor's address for the notice of a new request (it links to the request in the "
        "admin, never shows its contents). Empty: the practice's email in Settings.",
    )
    confirmation_subject = models.CharField(
        max_length=150,
        default=DEFAULT_CONFIRMATION_SUBJECT,
        verbose_name="confirmation subject",
        help_text=PLACEHOLDER_HELP,
    )
    confirmation_text = models.TextField(
        max_length=2000,
        default=DEFAULT_CONFIRMATION_TEXT,
        verbose_name="confirmation text",
        help_text="The opening of the email to the visitor. The practice's details, office hours and the crisis "
        "notice follow it. " + PLACEHOLDER_HELP,
    )

    content_panels = [
        *AbstractForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form field"),
        FieldPanel("thank_you_body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("notification_email")]),
                FieldPanel("confirmation_subject"),
                FieldPanel("confirmation_text"),
            ],
            heading="Emails",
        ),
    ]

    search_fields = [*AbstractForm.search_fields, index.SearchField("intro")]

    base_form_class = ContactPageAdminForm
    form_builder = ContactFormBuilder
    template = "booking/contact_page.html"
    landing_page_template = "booking/contact_page_landing.html"
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []
    public_label = "Contact"  # in search results and suggestions

    class Meta:
        verbose_name = "contact page"

    # -- form builder hooks ------------------------------------------------------------------------------------
    def get_submission_class(self):
        return AppointmentRequest

    def get_submissions_list_view_class(self):
        # Imported here: booking.admin_views and booking.services import booking.models.
        from booking.admin_views import ContactSubmissionsListView

        return ContactSubmissionsListView

    def process_form_submission(self, form) -> AppointmentRequest:
        from booking.services import request_data_from_form, submit_appointment_request

        return submit_appointment_request(
            page=self, data=request_data_from_form(form, self.get_form_fields())
        )

    @path("", name="form")
    def index_route(self, request, *args, **kwargs):
        """The form itself (GET shows it, POST sends it): Wagtail's `FormMixin.serve` behind the rate limit."""
        if request.method == "POST" and hit_rate_limit(request):
            logger.warning("Contact form refused: rate limit reached (page %s)", self.pk)
            return TemplateResponse(request, "429.html", self.get_context(request), status=429)
        response = FormMixin.serve(self, request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if request.method == "POST" and getattr(form, "spam_reason", ""):
            logger.warning("Contact form refused as spam (%s, page %s)", form.spam_reason, self.pk)
        return response

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        if form_submission is not None:
            # POST-redirect-GET: the browser shows the thank-you URL, so a refresh sends nothing again.
            return redirect(self.url + self.reverse_subpage("thanks"))
        return super().render_landing_page(request, None, *args, **kwargs)

    @path("thanks/", name="thanks")
    def thanks(self, request):
        return self.render_landing_page(request)

    def serve_preview(self, request, mode_name):
        # RoutablePageMixin would preview the index route only; keep the form builder's two preview modes.
        return FormMixin.serve_preview(self, request, mode_name)

    # -- context -----------------------------------------------------------------------------------------------
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        hours = OfficeHours.current()
        if hours is None:
            context["reply_by"] = REPLY_BY_WITHOUT_HOURS
            return context
        schedule = hours.schedule()
        context["reply_by"] = schedule.reply_by_text(now)
        # The expected reply time moves on at the next opening; a cached thank-you page must not outlive it.
        limit_cache_until(request, schedule.next_opening(now))
        return context

    def notification_address(self) -> str:
        if self.notification_email:
            return self.notification_email
        site = self.get_site()
        return PracticeSettings.for_site(site).email if site else ""
