"""The two emails of an appointment request, rendered from templates/emails/ when the request is stored.

`booking.services` hands each to the outbox (`site_project.outbox`) under a key naming the request and the
email's kind, so each is stored and sent once.

The confirmation goes to the visitor: the practice's details, office hours, what happens next and the crisis
notice, never the message they wrote. The notification goes to the counselor: a link to the request in the admin,
not its contents, with the visitor's address in Reply-To (never From).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from booking.forms.contact import reject_line_breaks
from booking.hours import REPLY_BY_WITHOUT_HOURS
from booking.models import AppointmentRequest, OfficeHours
from home.models import PracticeSettings

CONFIRMATION = "confirmation"
NOTIFICATION = "notification"
KINDS = (CONFIRMATION, NOTIFICATION)
PLACEHOLDERS = ("first_name", "name", "practice_name", "reply_by")
PLACEHOLDER_PATTERN = re.compile(r"\{(\w+)\}")


def fill_placeholders(template: str, values: Mapping[str, str]) -> str:
    """Replace {first_name} and the other whitelisted placeholders; leave anything else exactly as written.

    Unlike str.format there is no attribute or index access ({first_name.__class__} stays as it is), and an
    unknown or misspelt placeholder stays visible instead of raising.
    """
    allowed = {key: str(value) for key, value in values.items() if key in PLACEHOLDERS}
    return PLACEHOLDER_PATTERN.sub(lambda match: allowed.get(match.group(1), match.group(0)), template)


def one_line(text: str) -> str:
    return " ".join(text.split())


def safe_reply_to(address: str) -> list[str]:
    try:
        reject_line_breaks(address)
        validate_email(address)
    except ValidationError:
        return []
    return [address]


def _practice(request: AppointmentRequest):
    site = request.page.get_site()
    return PracticeSettings.for_site(site) if site else PracticeSettings()


def admin_url(request: AppointmentRequest) -> str:
    """The request's page in the admin inbox, where the counselor reads it and marks it contacted."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    try:
        return base + reverse("appointment_requests:inspect", args=[request.pk])
    except NoReverseMatch:
        return base + reverse("wagtailadmin_home")


def confirmation_context(request: AppointmentRequest) -> dict:
    page = request.page.specific
    practice = _practice(request)
    hours = OfficeHours.current()
    schedule = hours.schedule() if hours else None
    reply_by = schedule.reply_by_text(request.submit_time) if schedule else REPLY_BY_WITHOUT_HOURS
    values = {
        "first_name": request.first_name,
        "name": request.name,
        "practice_name": practice.practice_name,
        "reply_by": reply_by,
    }
    return {
        "practice": practice,
        "office_hours": hours,
        "week": schedule.week(request.submit_time) if schedule else [],
        "exceptions": schedule.upcoming_exceptions(request.submit_time, days=21) if schedule else [],
        "reply_by": reply_by,
        "subject": one_line(fill_placeholders(page.confirmation_subject, values)),
        "opening": fill_placeholders(page.confirmation_text, values),
        "site_url": settings.SITE_URL,
    }


def outbox_key(request_id: int, kind: str) -> str:
    """The outbox's idempotency key of one email of one request, e.g. "booking.request.42.confirmation"."""
    return f"booking.request.{request_id}.{kind}"


def build_confirmation(request: AppointmentRequest, recipient: str) -> EmailMultiAlternatives:
    context = confirmation_context(request)
    practice = context["practice"]
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string("emails/confirmation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        reply_to=safe_reply_to(practice.email) if practice.email else [],
        headers={"Auto-Submitted": "auto-replied"},
    )
    message.attach_alternative(render_to_string("emails/confirmation.html", context), "text/html")
    return message


def build_notification(request: AppointmentRequest, recipient: str) -> EmailMultiAlternatives:
    practice = _practice(request)
    context = {
        "request": request,
        "admin_url": admin_url(request),
        "practice": practice,
        "page_title": request.page.title,
    }
    message = EmailMultiAlternatives(
        subject=f"New appointment request #{request.pk}",
        body=render_to_string("emails/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        reply_to=safe_reply_to(request.email),
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("emails/notification.html", context), "text/html")
    return message


def build_message(request: AppointmentRequest, kind: str, recipient: str) -> EmailMultiAlternatives:
    """Render the email with every time in the practice's zone (settings.TIME_ZONE), whoever sends it: a
    request in the admin may have activated its user's own zone."""
    with timezone.override(settings.TIME_ZONE):
        if kind == NOTIFICATION:
            return build_notification(request, recipient)
        return build_confirmation(request, recipient)
