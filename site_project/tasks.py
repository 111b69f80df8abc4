"""The site's own Celery tasks, run by beat: Wagtail's scheduled publishing and the worker heartbeat."""

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

WORKER_HEARTBEAT_KEY = "worker-heartbeat"


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
