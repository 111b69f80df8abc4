"""Spam protection for the contact form: a honeypot, a minimum fill time and a per-address rate limit.

The rate limit counts in the Django cache (Redis in production), so it holds across web processes. The client
address is REMOTE_ADDR; X-Forwarded-For is believed only when the request comes from one of TRUSTED_PROXIES.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from home.client_ip import client_ip

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
TOKEN_SALT = "booking.contact-form.started"  # noqa: S105 - a signing salt, not a password  # nosec B105
# A form open longer than this is stale: the visitor is asked to send it again with a fresh token.
TOKEN_MAX_AGE_SECONDS = 60 * 60 * 24


def min_fill_seconds() -> float:
    return float(getattr(settings, "CONTACT_MIN_FILL_SECONDS", 3))


def rate_limit() -> tuple[int, int]:
    """(requests, window in seconds) allowed per client address."""
    return (
        int(getattr(settings, "CONTACT_RATE_LIMIT", 5)),
        int(getattr(settings, "CONTACT_RATE_LIMIT_WINDOW_SECONDS", 3600)),
    )


def _rate_key(ip: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]
    return f"booking:contact-rate:{digest}"


def hit_rate_limit(request: HttpRequest) -> bool:
    """Count one attempt from the request's address; True once it is over the limit for the current window.

    The key holds a hashed address, never the address itself. `add` then `incr` is atomic in Redis and locmem.
    """
    limit, window = rate_limit()
    key = _rate_key(client_ip(request))
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
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
