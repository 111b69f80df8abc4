"""Helpers for outbox tests: a message with every part filled in, and a delivery backend that fails on demand."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from site_project.outbox import services as outbox
from site_project.outbox.models import Email

SECRET_ADDRESS = "ana.private@example.org"


def make_message(**overrides) -> EmailMultiAlternatives:
    fields = {
        "subject": "Your appointment ✓",
        "body": "Plain words",
        "from_email": "Practice <no-reply@practice.example>",
        "to": [SECRET_ADDRESS],
        "reply_to": ["hello@practice.example"],
        "headers": {"List-Unsubscribe": "<https://practice.example/unsubscribe/abc/>"},
        **overrides,
    }
    message = EmailMultiAlternatives(**fields)
    message.attach_alternative("<p>HTML words</p>", "text/html")
    return message


def store(message: EmailMultiAlternatives | None = None, key: str | None = None) -> Email:
    """A pending row as `outbox.send` writes it, without running the delivery that follows a commit."""
    return Email.objects.create(key=key, **outbox.message_fields(message or make_message()))


class FlakyBackend(LocmemBackend):
    """Raises `error` for the next `failures` sends, then delivers to django.core.mail.outbox."""

    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected(f"lost connection while sending to {SECRET_ADDRESS}")

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise FlakyBackend.error
        return super().send_messages(messages)
