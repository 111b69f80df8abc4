"""What the subscription views and the beat task do to the data: subscribe, confirm, unsubscribe, forget.

A subscriber's emails live in the outbox under keys starting with `keys.subscriber_prefix`. Deleting a subscriber,
here or in the admin, deletes those rows in the same transaction (blog.signals), so a message still pending for
an address that left is never sent, and nothing about the address is kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from blog.models import Subscriber
from blog.subscriptions import keys
from blog.subscriptions.emails import build_subscription_email
from home.models import PracticeSettings
from site_project.outbox import services as outbox

# Unconfirmed addresses are forgotten this many at a time, one transaction each.
FORGET_BATCH_SIZE = 500


def subscribe(*, email: str, practice: PracticeSettings) -> Subscriber:
    """Ask for `email` (already normalised): a confirmation for a new or unconfirmed address, a note for one
    already confirmed. An unconfirmed address asking again gets a fresh `requested_at`, so it is kept until the
    new link expires; the earlier link keeps working until it expires itself."""
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(email=email, defaults={"requested_at": now})
        if subscriber.is_confirmed:
            key = keys.notice_key(subscriber.pk, now)
        else:
            if not created:
                subscriber.requested_at = now
                subscriber.save(update_fields=["requested_at"])
            key = keys.confirmation_key(subscriber.pk, subscriber.requested_at)
        outbox.send(build_subscription_email(subscriber, practice), key=key)
    return subscriber


def confirm(subscriber: Subscriber) -> bool:
    """Confirm the address; False when it already was (the link opened twice)."""
    confirmed = Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    return confirmed > 0


def forget_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete the addresses never confirmed whose last confirmation link has expired; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS)
    expired = Subscriber.objects.filter(confirmed_at__isnull=True, requested_at__lt=cutoff)
    forgotten = 0
    while True:
        with transaction.atomic():
            batch = list(
                expired.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:FORGET_BATCH_SIZE]
            )
            if not batch:
                return forgotten
            # The conditions again: where rows are not locked (SQLite), an address confirmed meanwhile is kept.
            _, deleted = expired.filter(pk__in=batch).delete()
            forgotten += deleted.get(Subscriber._meta.label, 0)
