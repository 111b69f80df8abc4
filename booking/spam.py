"""Spam protection for the contact form: a honeypot, a minimum fill time and a per-address rate limit.

The rate limit counts in the Django cache (Redis in production), so it holds across web processes. The client
address is REMOTE_ADDR; X-Forwarded-For is believed only when the request comes from one of TRUSTED_PROXIES.

When Redis is down the limit keeps working, more loosely: each web process counts in its own memory, so an
address gets at most the limit per process (gunicorn's 3 workers: 15 requests an hour instead of 5) until Redis
answers again. A visitor is never refused because the cache is down, and a flood is still held back.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import BaseCache, cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest

from home.redis_cache import UNAVAILABLE
from site_project.client_ip import client_ip

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
TOKEN_SALT = "booking.contact-form.started"  # noqa: S105 - a signing salt, not a password  # nosec B105
# A form open longer than this is stale: the visitor is asked to send it again with a fresh token.
TOKEN_MAX_AGE_SECONDS = 60 * 60 * 24
# Where this process counts while the shared cache is unreachable.
LOCAL_COUNTER = LocMemCache("booking-contact-rate", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_counting_locally = False


def min_fill_seconds() -> float:
    return float(settings.CONTACT_MIN_FILL_SECONDS)


def rate_limit() -> tuple[int, int]:
    """(requests, window in seconds) allowed per client address."""
    return int(settings.CONTACT_RATE_LIMIT), int(settings.CONTACT_RATE_LIMIT_WINDOW_SECONDS)


def _rate_key(ip: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]
    return f"booking:contact-rate:{digest}"


def _count(counter: BaseCache, key: str, window: int) -> int:
    """One more attempt under `key`; `add` then `incr` is atomic in Redis and locmem."""
    counter.add(key, 0, timeout=window)
    try:
        return counter.incr(key)
    except ValueError:  # expired (or never stored) between add and incr
        counter.set(key, 1, timeout=window)
        return 1


def hit_rate_limit(request: HttpRequest) -> bool:
    """Count one attempt from the request's address; True once it is over the limit for the current window.

    The key holds a hashed address, never the address itself. Counted in this process's memory while Redis does
    not answer (the module docstring's rule), said once in the log per outage.
    """
    global _counting_locally
    limit, window = rate_limit()
    key = _rate_key(client_ip(request))
    try:
        count = _count(cache, key, window)
    except UNAVAILABLE as error:
        if not _counting_locally:
            logger.warning(
                "Contact form rate limit counted per web process: the cache is unavailable (%s)",
                type(error).__name__,
            )
        _counting_locally = True
        count = _count(LOCAL_COUNTER, key, window)
    else:
        if _counting_locally:
            logger.info("Contact form rate limit counted in the shared cache again")
        _counting_locally = False
    return count > limit


def make_started_token(now: float | None = None) -> str:
    return signing.dumps({"t": now if now is not None else time.time()}, salt=TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    reason: str = ""  # "missing", "tampered", "expired", "too-fast"


def check_started_token(value: str, now: float | None = None) -> TokenCheck:
    now = now if now is not None else time.time()
    if not value:
        return TokenCheck(False, "missing")
    try:
        started = float(signing.loads(value, salt=TOKEN_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenCheck(False, "tampered")
    if now - started > TOKEN_MAX_AGE_SECONDS:
        return TokenCheck(False, "expired")
    if now - started < min_fill_seconds():
        return TokenCheck(False, "too-fast")
    return TokenCheck(True)
