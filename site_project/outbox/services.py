"""What senders call: `send(message, key=...)` stores a message in the outbox and has it delivered after commit.

Booking, blog subscriptions and the email backend (Django's and Wagtail's own mail) all come through here:

    from site_project.outbox import services as outbox
    outbox.send(message, key=f"booking.request.{request.pk}.confirmation")

A sender with thousands of messages (a post mailed to its subscribers) stores them with `send_many`, one bulk
insert per call. The row is written in the caller's transaction, so the message is stored or rolled back with
the caller's data. Once that transaction commits, its id is handed to Celery; if the broker is down the row
stays pending and the sweep (`site_project.outbox.tasks.sweep_outbox`) sends it later.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid, sanitize_address
from django.db import transaction

from site_project.outbox.models import KEY_MAX_LENGTH, Email
from site_project.outbox.tasks import enqueue


def validate_key(key: str) -> None:
    if not isinstance(key, str) or not key.strip():
        raise ValueError("An outbox key must be a non-empty string.")
    if len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"An outbox key is at most {KEY_MAX_LENGTH} characters long.")


def _attachment_rows(message: EmailMessage) -> list[list[str]]:
    rows = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise ValueError("The outbox stores attachments given as (file name, content, MIME type) only.")
        filename, content, mimetype = attachment
        raw = content if isinstance(content, bytes) else str(content).encode()
        rows.append([filename, base64.b64encode(raw).decode("ascii"), mimetype])
    return rows


def _headers(message: EmailMessage) -> dict[str, str]:
    """The message's extra headers, plus a Message-ID fixed now, so a resend carries the same one."""
    headers = {str(name): str(value) for name, value in message.extra_headers.items()}
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost")
    return headers


def _check_addresses(message: EmailMessage) -> None:
    for address in [message.from_email, *message.recipients(), *message.reply_to]:
        try:
            sanitize_address(address, message.encoding or settings.DEFAULT_CHARSET)
        except (TypeError, ValueError) as error:  # Django raises TypeError for some, e.g. "<>"
            raise ValueError("Invalid address in the message.") from error


def message_fields(message: EmailMessage) -> dict:
    """The message as the outbox row's fields; raises ValueError for a message that could never be sent.

    Building the MIME message once here rejects line breaks in headers (header injection), and SMTP's own
    address check rejects malformed addresses: at the sender, not in the worker after the sender has moved on.
    """
    if not message.recipients():
        raise ValueError("An email needs at least one recipient.")
    message.message()
    _check_addresses(message)
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "body_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": _attachment_rows(message),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": _headers(message),
    }


def _enqueue_all(email_ids: list[int]) -> None:
    """Hand rows to Celery in order; after a broker failure the rest stay pending for the sweep."""
    for email_id in email_ids:
        if not enqueue(email_id):
            return


def _deliver_after_commit(email_ids: list[int]) -> None:
    if email_ids:
        transaction.on_commit(partial(_enqueue_all, email_ids))


def send(message: EmailMessage, *, key: str | None = None) -> Email:
    """Store `message` and deliver it once the current transaction commits.

    With a `key`, the first message stored under it wins: sending again with the same key stores and sends
    nothing and returns the row already there, whatever its state.
    """
    if key is not None:
        validate_key(key)
    fields = message_fields(message)
    if key is None:
        email = Email.objects.create(**fields)
    else:
        # get_or_create handles a concurrent insert under the same key (savepoint, IntegrityError, get).
        email, created = Email.objects.get_or_create(key=key, defaults=fields)
        if not created:
            return email
    _deliver_after_commit([email.pk])
    return email


def send_many(messages: Iterable[tuple[EmailMessage, str]]) -> int:
    """Store (message, key) pairs with one bulk insert and deliver the new ones once the transaction commits.

    Each message is checked as `send` checks it, before anything is stored. As with `send`, a key already
    stored keeps its first message: those pairs store and send nothing, so a sender that runs the same batch
    twice sends each message once. Returns how many messages were stored. A key inserted by a concurrent
    sender between the look-up and the insert may be enqueued by both; `deliver_email` claims a row once, so
    it is still sent once.
    """
    rows: dict[str, Email] = {}
    for message, key in messages:
        validate_key(key)
        rows[key] = Email(key=key, **message_fields(message))
    taken = set(Email.objects.filter(key__in=list(rows)).values_list("key", flat=True))
    new_keys = [key for key in rows if key not in taken]
    Email.objects.bulk_create([rows[key] for key in new_keys], ignore_conflicts=True)
    # ignore_conflicts leaves the new rows without primary keys: read them back by key.
    stored = list(Email.objects.filter(key__in=new_keys).order_by("pk").values_list("pk", flat=True))
    _deliver_after_commit(stored)
    return len(stored)


def discard(keys: Iterable[str]) -> int:
    """Delete the stored messages under these keys (a sender forgetting its data); returns how many."""
    deleted, _ = Email.objects.filter(key__in=list(keys)).delete()
    return deleted


def discard_prefixed(prefix: str) -> int:
    """Delete every stored message whose key starts with `prefix` (all of one recipient's mail); returns how
    many."""
    validate_key(prefix)
    deleted, _ = Email.objects.filter(key__startswith=prefix).delete()
    return deleted
