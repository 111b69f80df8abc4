"""Site-wide Celery tasks: email delivery for Django and Wagtail, scheduled publishing, the worker heartbeat."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.management import call_command
from django.utils import timezone

from home.mail import message_from_dict

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT_KEY = "worker-heartbeat"


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=settings.MAIL_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def deliver_email(self, payload: dict) -> None:
    """Send one message serialised by `home.mail.CeleryEmailBackend`; SMTP errors retry with backoff."""
    message = message_from_dict(payload)
    message.connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    message.send()
    logger.info("Delivered a site email", extra={"task_id": self.request.id})


@shared_task
def publish_scheduled() -> None:
    """Wagtail's `publish_scheduled`: publishes pages whose go-live time has passed and expires others."""
    call_command("publish_scheduled")


@shared_task
def record_worker_heartbeat() -> str:
    """Beat sends this every minute; the health endpoint reports how long ago a worker last ran it."""
    now = timezone.now().isoformat()
    cache.set(WORKER_HEARTBEAT_KEY, now, timeout=None)
    return now
