"""One row per outgoing email: the whole message as data, and its delivery state.

The row is written in the sender's transaction and delivered by `site_project.outbox.tasks.deliver_email` after
commit, so a message exists before any broker or SMTP server is touched. Nothing ties a row to the feature that
wrote it: a sender that must not send the same message twice passes an idempotency `key` (for example the
confirmation of appointment request 42), which is unique across the table.
"""

from __future__ import annotations

import base64

from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone

KEY_MAX_LENGTH = 200


class Email(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(
        max_length=KEY_MAX_LENGTH,
        unique=True,
        null=True,
        blank=True,
        verbose_name="idempotency key",
        help_text="Set by the sender so the same message is stored only once; empty for Django's own mail.",
    )
    subject = models.TextField(verbose_name="subject")
    body = models.TextField(blank=True, verbose_name="plain text body")
    body_subtype = models.CharField(
        max_length=20, default="plain", verbose_name="body subtype", help_text="“plain” or “html”."
    )
    alternatives = models.JSONField(
        default=list, blank=True, verbose_name="alternative bodies", help_text="[content, MIME type] pairs."
    )
    attachments = models.JSONField(
        default=list,
        blank=True,
        verbose_name="attachments",
        help_text="[file name, base64 content, MIME type] triples.",
    )
    from_email = models.CharField(max_length=320, verbose_name="from")
    to = models.JSONField(default=list, blank=True, verbose_name="to")
    cc = models.JSONField(default=list, blank=True, verbose_name="cc")
    bcc = models.JSONField(default=list, blank=True, verbose_name="bcc")
    reply_to = models.JSONField(default=list, blank=True, verbose_name="reply to")
    headers = models.JSONField(
        default=dict, blank=True, verbose_name="headers", help_text="Extra headers, such as List-Unsubscribe."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name="status"
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
        verbose_name = "outgoing email"
        verbose_name_plural = "outgoing emails"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["created_at"], name="outbox_created"),
        ]

    def __str__(self) -> str:
        return self.subject or f"Email #{self.pk}"

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]

    def to_message(self) -> EmailMultiAlternatives:
        """The stored message as Django sends it; the connection is the caller's to set."""
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            from_email=self.from_email,
            to=self.to,
            cc=self.cc,
            bcc=self.bcc,
            reply_to=self.reply_to,
            headers=self.headers,
        )
        message.content_subtype = self.body_subtype
        for content, mimetype in self.alternatives:
            message.attach_alternative(content, mimetype)
        for filename, content, mimetype in self.attachments:
            message.attach(filename, base64.b64decode(content), mimetype)
        return message
