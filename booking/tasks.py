"""Celery tasks that send appointment mail, re-send what was left unsent, and purge old requests.

`send_outbox_mail` receives only an outbox row id. It claims the row with an atomic compare-and-set (pending ->
sending), so a task delivered twice sends once; it retries SMTP failures with exponential backoff, every delay
below the broker's visibility timeout (a longer countdown would make Redis hand the message to a second worker);
it records the outcome on the row. The settings turn on acks_late and reject_on_worker_lost, so a worker killed
mid-task leaves its message with the broker, and `resend_unsent_mail` (beat, every five minutes) picks up rows that
stayed pending or stuck in sending. Logs name row ids and error class names only.
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

from booking.models import AppointmentRequest, OutboxEmail

logger = logging.getLogger(__name__)

MAX_RETRIES = 8
MAX_BACKOFF_SECONDS = 600
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError)


class DeliveryDeferred(Exception):
    """Raised into Celery's retry instead of the SMTP error, whose text may hold an address."""


def retry_countdown(retries: int) -> int:
    """MAIL_RETRY_BACKOFF_SECONDS doubled per retry, capped at ten minutes and at half the visibility timeout."""
    ceiling = min(MAX_BACKOFF_SECONDS, max(1, settings.CELERY_BROKER_VISIBILITY_TIMEOUT // 2))
    return int(min(settings.MAIL_RETRY_BACKOFF_SECONDS * 2**retries, ceiling))


def resend_after_seconds() -> int:
    return int(getattr(settings, "OUTBOX_RESEND_AFTER_SECONDS", 60))


def stale_sending_seconds() -> int:
    """A row in 'sending' longer than a task may run belongs to a worker that died."""
    return int(getattr(settings, "OUTBOX_STALE_SENDING_SECONDS", settings.CELERY_TASK_TIME_LIMIT + 60))


def claim(outbox_id: int) -> OutboxEmail | None:
    """pending -> sending in one UPDATE; only one caller wins, however many tasks carry the id."""
    claimed = OutboxEmail.objects.filter(pk=outbox_id, status=OutboxEmail.Status.PENDING).update(
        status=OutboxEmail.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:
        return None
    return OutboxEmail.objects.select_related("request", "request__page").get(pk=outbox_id)


def _record(outbox_id: int, **fields) -> None:
    OutboxEmail.objects.filter(pk=outbox_id, status=OutboxEmail.Status.SENDING).update(**fields)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True, reject_on_worker_lost=True)
def send_outbox_mail(self, outbox_id: int) -> str:
    outbox = claim(outbox_id)
    if outbox is None:
        logger.info("Outbox email %s is not pending; nothing to send", outbox_id)
        return "skipped"
    from booking.emails import build_message

    try:
        message = build_message(outbox)
        message.connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
        message.send()
    except RETRYABLE_ERRORS as error:
        error_name = type(error).__name__
        if self.request.retries >= self.max_retries:
            _record(outbox_id, status=OutboxEmail.Status.FAILED, last_error=error_name, claimed_at=None)
            logger.error(
                "Outbox email %s failed after %s attempts (%s)", outbox_id, outbox.attempts, error_name
            )
            return "failed"
        countdown = retry_countdown(self.request.retries)
        _record(
            outbox_id,
            status=OutboxEmail.Status.PENDING,
            last_error=error_name,
            claimed_at=None,
            next_attempt_at=timezone.now() + timedelta(seconds=countdown),
        )
        logger.warning(
            "Outbox email %s not delivered (%s); retrying in %ss", outbox_id, error_name, countdown
        )
        raise self.retry(
            countdown=countdown, exc=DeliveryDeferred(f"outbox email {outbox_id}: {error_name}")
        ) from None
    except Exception as error:
        # Not an SMTP problem (a template or header error): retrying would fail the same way.
        _record(outbox_id, status=OutboxEmail.Status.FAILED, last_error=type(error).__name__, claimed_at=None)
        logger.error("Outbox email %s cannot be built or sent (%s)", outbox_id, type(error).__name__)
        return "failed"
    _record(outbox_id, status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error="", claimed_at=None)
    logger.info("Outbox email %s sent (%s)", outbox_id, outbox.kind)
    return "sent"


@shared_task
def resend_unsent_mail() -> int:
    """Re-enqueue pending rows due for over a minute, and rows stuck in 'sending' after their worker died."""
    now = timezone.now()
    stale = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=stale_sending_seconds()),
    ).update(
        status=OutboxEmail.Status.PENDING,
        claimed_at=None,
        next_attempt_at=now - timedelta(seconds=resend_after_seconds()),
    )
    if stale:
        logger.warning("Released %s outbox emails stuck in sending", stale)
    due = list(
        OutboxEmail.objects.filter(
            status=OutboxEmail.Status.PENDING,
            next_attempt_at__lte=now - timedelta(seconds=resend_after_seconds()),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    enqueued = 0
    for outbox_id in due:
        try:
            send_outbox_mail.delay(outbox_id)
        except Exception as error:
            logger.warning(
                "Resend stopped: could not enqueue outbox email %s (%s)", outbox_id, type(error).__name__
            )
            break
        enqueued += 1
    if enqueued:
        logger.info("Re-enqueued %s unsent outbox emails", enqueued)
    return enqueued


@shared_task
def purge_old_requests() -> int:
    """Delete appointment requests (and their outbox rows) older than APPOINTMENT_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.APPOINTMENT_RETENTION_DAYS)
    old = AppointmentRequest.objects.filter(submit_time__lt=cutoff)
    OutboxEmail.objects.filter(request__in=old).delete()
    requests, _ = old.delete()
    logger.info(
        "Purged %s appointment requests older than %s days", requests, settings.APPOINTMENT_RETENTION_DAYS
    )
    return requests
