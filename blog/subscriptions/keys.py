"""Outbox keys of the emails sent to a subscriber, all under one prefix per subscriber.

The shared prefix is what lets unsubscribing (and forgetting an unconfirmed address) delete every message stored
for that address, pending ones included, with one query.
"""

from __future__ import annotations

from datetime import datetime

# Every key of every subscriber's email starts with this.
PREFIX = "blog.subscriber."


def subscriber_prefix(subscriber_id: int) -> str:
    return f"{PREFIX}{subscriber_id}."


def confirmation_key(subscriber_id: int, requested_at: datetime) -> str:
    """One confirmation email per request: asking again later (a new requested_at) sends a new one."""
    return f"{subscriber_prefix(subscriber_id)}confirm.{int(requested_at.timestamp())}"


def notice_key(subscriber_id: int, asked_at: datetime) -> str:
    """The "you are already subscribed" email for a confirmed address asking again at `asked_at`."""
    return f"{subscriber_prefix(subscriber_id)}notice.{int(asked_at.timestamp())}"


def mailing_suffix(mailing_id: int) -> str:
    """How every key of one mailing ends, whoever it was sent to."""
    return f".mailing.{mailing_id}"


def mailing_key(subscriber_id: int, mailing_id: int) -> str:
    return f"{PREFIX}{subscriber_id}{mailing_suffix(mailing_id)}"
