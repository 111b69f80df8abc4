"""The site's EMAIL_BACKEND: Django's and Wagtail's own mail (password resets, workflow notifications) lands in
the outbox like every other email.

`send_messages` stores each message inside the caller's transaction and returns; delivery starts after commit.
So a password reset is saved before any broker is touched, and with Redis down it waits in the outbox for the
sweep instead of being dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from site_project.outbox import services

logger = logging.getLogger(__name__)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        stored = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                services.send(message)
            except Exception as error:
                if not self.fail_silently:
                    raise
                logger.warning("Could not store an email in the outbox (%s)", type(error).__name__)
                continue
            stored += 1
        return stored
