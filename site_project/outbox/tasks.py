"""Celery tasks of the outbox: deliver one stored email, sweep up what was left unsent, forget old mail.

`deliver_email` receives only a row id. It claims the row with one compare-and-set UPDATE (pending -> sending),
so a task delivered twice sends once, delivers it with `settings.EMAIL_DELIVERY_BACKEND` and records the
outcome. A transient SMTP or network failure puts the row back to pending and retries after a backoff that
doubles from OUTBOX_RETRY_BACKOFF_SECONDS, up to OUTBOX_MAX_ATTEMPTS; a permanent refusal (5xx) or a message
that cannot be built fails at once. The settings turn on acks_late and reject_on_worker_lost, so a worker killed
mid-task leaves its message with the broker; `sweep_outbox` (beat) re-enqueues rows left pending (broker down
at commit) and releases rows stuck in sending (worker killed). Logs name row ids and error classes only, never
an address or any content.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from site_project.outbox.models import Email

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 500
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


class DeliveryDeferred(Exception):
    """Raised into Celery's retry instead of the SMTP error, whose text may hold an address."""


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the n-th failed attempt: the backoff doubled per attempt, capped.

    The cap is OUTBOX_RETRY_MAX_BACKOFF_SECONDS, and half the broker's visibility timeout: a longer countdown
    would make Redis hand the waiting message to a second worker.
    """
    ceiling = min(
        settings.OUTBOX_RETRY_MAX_BACKOFF_SECONDS, max(1, settings.CELERY_BROKER_VISIBILITY_TIMEOUT // 2)
    )
    return int(min(settings.OUTBOX_RETRY_BACKOFF_SECONDS * 2 ** max(0, attempts - 1), ceiling))


def is_permanent(error: Exception) -> bool:
    """A 5xx answer means the server will refuse the message however often it is sent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def enqueue(email_id: int) -> bool:
    """Hand a row to Celery; a broker failure is logged (class only) and left to the sweep."""
    try:
        deliver_email.delay(email_id)
    except Exception as error:  # any broker failure: the row stays pending for the sweep
        logger.warning(
            "Could not enqueue outbox email %s (%s); the sweep will send it", email_id, type(error).__name__
        )
        return False
    return True


def claim(email_id: int) -> Email | None:
    """pending -> sending in one UPDATE; only one caller wins, however many tasks carry the id."""
    claimed = Email.objects.filter(pk=email_id, status=Email.Status.PENDING).update(
        status=Email.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    return Email.objects.get(pk=email_id) if claimed else None


def _record(email_id: int, **fields) -> None:
    Email.objects.filter(pk=email_id, status=Email.Status.SENDING).update(claimed_at=None, **fields)


def _fail(email: Email, error_name: str) -> str:
    _record(email.pk, status=Email.Status.FAILED, last_error=error_name)
    logger.error("Outbox email %s failed after %s attempts (%s)", email.pk, email.attempts, error_name)
    return "failed"


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_email(self, email_id: int) -> str:
    email = claim(email_id)
    if email is None:
        logger.info("Outbox email %s is not pending; nothing to send", email_id)
        return "skipped"
    try:
        message = email.to_message()
        message.connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
        message.send()
    except TRANSIENT_ERRORS as error:
        error_name = type(error).__name__
        if is_permanent(error) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            return _fail(email, error_name)
        countdown = retry_delay(email.attempts)
        _record(
            email.pk,
            status=Email.Status.PENDING,
            last_error=error_name,
            next_attempt_at=timezone.now() + timedelta(seconds=countdown),
        )
        logger.warning("Outbox email %s not delivered (%s); retrying in %ss", email.pk, error_name, countdown)
        raise self.retry(
            countdown=countdown, exc=DeliveryDeferred(f"outbox email {email.pk}: {error_name}")
        ) from None
    except Exception as error:
        # Not a delivery problem (a header or attachment the backend rejects): it would fail the same way again.
        return _fail(email, type(error).__name__)
    _record(email.pk, status=Email.Status.SENT, sent_at=timezone.now(), last_error="")
    logger.info("Outbox email %s sent", email.pk)
    return "sent"


def release_stale_claims(now) -> int:
    """Rows in 'sending' for longer than a task may run belong to a worker that died: try them again."""
    stale = Email.objects.filter(
        status=Email.Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.OUTBOX_STALE_SENDING_SECONDS),
    )
    exhausted = stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        status=Email.Status.FAILED, claimed_at=None, last_error="WorkerLostError"
    )
    # Due since before the grace period, so this same sweep sends them.
    overdue = now - timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS)
    released = stale.update(status=Email.Status.PENDING, claimed_at=None, next_attempt_at=overdue)
    if released or exhausted:
        logger.warning("Released %s outbox emails stuck in sending; %s failed for good", released, exhausted)
    return released


@shared_task
def sweep_outbox() -> int:
    """Beat: release rows stuck in sending, then re-enqueue pending rows due for longer than the grace period."""
    now = timezone.now()
    release_stale_claims(now)
    due = list(
        Email.objects.filter(
            status=Email.Status.PENDING,
            next_attempt_at__lte=now - timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS),
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH_SIZE]
    )
    enqueued = 0
    for email_id in due:
        if not enqueue(email_id):
            break
        enqueued += 1
    if enqueued:
        logger.info("Re-enqueued %s unsent outbox emails", enqueued)
    return enqueued


@shared_task
def forget_old_email() -> int:
    """Beat, daily: delete sent and failed email older than OUTBOX_RETENTION_DAYS (it holds personal data)."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = Email.objects.filter(
        status__in=[Email.Status.SENT, Email.Status.FAILED], created_at__lt=cutoff
    ).delete()
    logger.info("Deleted %s outbox emails older than %s days", deleted, settings.OUTBOX_RETENTION_DAYS)
    return deleted
