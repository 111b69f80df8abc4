"""Appointment requests and their outbox: one `OutboxEmail` row per mail, written with the request.

An `AppointmentRequest` is the contact page's form submission (it extends Wagtail's `AbstractFormSubmission`, so
the page's own submissions listing keeps working) with the fields the practice works with as real columns. Extra
fields an editor adds to the form land in `form_data`.

The outbox follows the HackSoftware pattern: the rows are written in the request's transaction, the task gets only
a row id after commit, claims the row (pending -> sending) so a duplicate run sends nothing, and records the
outcome. Whatever is left pending (broker down) or stuck in sending (worker killed) the beat job sends again.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from wagtail.contrib.forms.models import AbstractFormSubmission

NAME_MAX_LENGTH = 120
PHONE_MAX_LENGTH = 40
PREFERRED_MAX_LENGTH = 300
MESSAGE_MAX_LENGTH = 2000


class AppointmentRequest(AbstractFormSubmission):
    class Status(models.TextChoices):
        NEW = "new", "New"
        REPLIED = "replied", "Replied"
        CLOSED = "closed", "Closed"

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.NEW, db_index=True, verbose_name="status"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH, verbose_name="name")
    email = models.EmailField(verbose_name="email")
    phone = models.CharField(max_length=PHONE_MAX_LENGTH, blank=True, verbose_name="phone")
    preferred_contact = models.CharField(max_length=60, blank=True, verbose_name="preferred contact method")
    preferred_times = models.CharField(
        max_length=PREFERRED_MAX_LENGTH, blank=True, verbose_name="preferred times"
    )
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True, verbose_name="message")
    consent = models.BooleanField(default=False, verbose_name="consent to be contacted")

    class Meta:
        verbose_name = "appointment request"
        verbose_name_plural = "appointment requests"
        ordering = ["-submit_time", "-pk"]
        indexes = [models.Index(fields=["submit_time"], name="booking_request_submitted")]

    def __str__(self) -> str:
        return f"Request #{self.pk}"

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


class OutboxEmail(models.Model):
    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation to the visitor"
        NOTIFICATION = "notification", "Notification to the counselor"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    request = models.ForeignKey(
        AppointmentRequest, on_delete=models.CASCADE, related_name="emails", verbose_name="request"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name="kind")
    recipient = models.EmailField(verbose_name="recipient")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True, verbose_name="status"
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name="attempts")
    last_error = models.CharField(
        max_length=100, blank=True, verbose_name="last error", help_text="The error's class name only."
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name="created")
    next_attempt_at = models.DateTimeField(default=timezone.now, verbose_name="next attempt")
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name="claimed")
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name="sent")

    class Meta:
        verbose_name = "outbox email"
        verbose_name_plural = "outbox emails"
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="booking_one_email_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for request #{self.request_id} ({self.status})"
