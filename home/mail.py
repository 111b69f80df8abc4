"""An email backend that hands every message to Celery.

Django and Wagtail (workflow notifications, password resets) call `send_mail` inside the request; this
backend turns each message into plain JSON and enqueues `home.tasks.deliver_email` once the transaction
commits, so no request waits for SMTP. The task delivers it with `settings.EMAIL_DELIVERY_BACKEND`.
"""

import base64
import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

logger = logging.getLogger(__name__)


def message_to_dict(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [
            [
                name,
                base64.b64encode(content if isinstance(content, bytes) else content.encode()).decode(),
                mimetype,
            ]
            for name, content, mimetype in (a for a in message.attachments if isinstance(a, tuple))
        ],
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


class CeleryEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from home.tasks import deliver_email

        payloads = [message_to_dict(message) for message in email_messages if message.recipients()]

        def enqueue() -> None:
            for payload in payloads:
                try:
                    deliver_email.delay(payload)
                except Exception:
                    logger.exception("Could not hand an email to the task queue")
                    if not self.fail_silently:
                        raise

        transaction.on_commit(enqueue)
        return len(payloads)
