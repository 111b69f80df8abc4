"""The health endpoint for load balancers: 200 when the database (and Redis, when configured) answer, else 503."""

from datetime import datetime

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from site_project.tasks import WORKER_HEARTBEAT_KEY


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def check_redis(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def worker_heartbeat_age() -> int | None:
    """Seconds since a worker last ran the heartbeat task, or None if none ever did."""
    try:
        stamp = cache.get(WORKER_HEARTBEAT_KEY)
    except Exception:
        return None
    if not stamp:
        return None
    return int((timezone.now() - datetime.fromisoformat(stamp)).total_seconds())


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {"database": "ok" if check_database() else "down"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if check_redis(settings.REDIS_URL) else "down"
    healthy = all(state == "ok" for state in checks.values())
    age = worker_heartbeat_age() if checks.get("redis", "ok") == "ok" else None
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        "worker_heartbeat_age_seconds": age,
    }
    return JsonResponse(body, status=200 if healthy else 503)
