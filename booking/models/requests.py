"""Appointment requests: what a visitor sent through the contact page.

An `AppointmentRequest` is the contact page's form submission (it extends Wagtail's `AbstractFormSubmission`, so
the page's own submissions listing keeps working) with the fields the practice works with as real columns. Extra
fields an editor adds to the form land in `form_data`.

Their emails live in the site's outbox (`site_project.outbox`), written in the same transaction as the request.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.contrib.forms.models import AbstractFormSubmission

# The longest answer each column keeps; the contact form refuses longer ones (booking.forms.contact).
NAME_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 40
PREFERRED_CONTACT_MAX_LENGTH = 60
PREFERRED_MAX_LENGTH = 300
MESSAGE_MAX_LENGTH = 2000
# Words in a contact method ("Phone call", "Text message", "SMS") that mean the practice needs a phone number.
PHONE_METHOD_WORDS = frozenset(
    {"phone", "telephone", "call", "calls", "text", "texts", "sms", "cell", "mobile"}
)


def method_needs_phone(method: str) -> bool:
    """Whether a preferred contact method, as the editor wrote its choice, can only be used with a phone."""
    return any(word in PHONE_METHOD_WORDS for word in re.findall(r"[a-z]+", str(method or "").lower()))


def phone_required_message(method: str) -> str:
    return (
        f"Please give a phone number so we can reach you by {method.strip().lower()}, or choose another way."
    )


class AppointmentRequest(AbstractFormSubmission):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CLOSED = "closed", "Closed"

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.NEW, db_index=True, verbose_name="status"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH, verbose_name="name")
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, verbose_name="email")
    phone = models.CharField(max_length=PHONE_MAX_LENGTH, blank=True, verbose_name="phone")
    preferred_contact = models.CharField(
        max_length=PREFERRED_CONTACT_MAX_LENGTH, blank=True, verbose_name="preferred contact method"
    )
    preferred_times = models.CharField(
        max_length=PREFERRED_MAX_LENGTH, blank=True, verbose_name="preferred times"
    )
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True, verbose_name="message")
    consent = models.BooleanField(default=False, verbose_name="agreed to be contacted")

    class Meta:
        verbose_name = "appointment request"
        verbose_name_plural = "appointment requests"
        ordering = ["-submit_time", "-pk"]
        indexes = [models.Index(fields=["submit_time"], name="booking_request_submitted")]

    def __str__(self) -> str:
        return f"Request #{self.pk}"

    def clean(self) -> None:
        super().clean()
        if method_needs_phone(self.preferred_contact) and not self.phone.strip():
            raise ValidationError(
                {"phone": phone_required_message(self.preferred_contact)}, code="phone_required"
            )

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        return parts[0] if parts else self.name

    @property
    def contact(self) -> str:
        return " / ".join(value for value in (self.email, self.phone) if value)

    def get_data(self) -> dict:
        """Wagtail's submissions listing reads this: each form field's answer under its name, plus extras."""
        data = {**self.form_data, "submit_time": self.submit_time}
        form_fields = getattr(self.page.specific, "form_fields", None)
        for field in form_fields.all() if form_fields is not None else ():
            if field.purpose:
                data[field.clean_name] = getattr(self, field.purpose)
        return data
