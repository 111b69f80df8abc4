"""Celery task of booking: purge appointment requests, and their emails, after the retention period.

Their emails are sent by the outbox (`site_project.outbox`); this module only makes sure that what the outbox
still holds of a purged request goes with it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from booking.emails import KINDS, outbox_key
from booking.models import AppointmentRequest
from site_project.outbox import services as outbox

logger = logging.getLogger(__name__)


@shared_task
def purge_old_requests() -> int:
    """Delete appointment requests (and their stored emails) older than APPOINTMENT_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.APPOINTMENT_RETENTION_DAYS)
    with transaction.atomic():
        old = AppointmentRequest.objects.filter(submit_time__lt=cutoff)
        outbox.discard(outbox_key(pk, kind) for pk in old.values_list("pk", flat=True) for kind in KINDS)
        requests, _ = old.delete()
    logger.info(
        "Purged %s appointment requests older than %s days", requests, settings.APPOINTMENT_RETENTION_DAYS
    )
    return requests
