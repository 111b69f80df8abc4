"""Spam protection for the site's public forms: a honeypot, a minimum fill time and a per-address rate limit.

Each form gets its own `FormProtection`, naming its token salt, its rate-limit bucket and the settings that hold
its limits; the feature app keeps only that wiring (booking/spam.py for the contact form, blog/subscriptions for
the subscribe form), so neither imports the other.

- The honeypot is a text field a person never sees (`HONEYPOT_FIELD`); a bot that fills it in is refused.
- The fill time is a signed start time (`STARTED_FIELD`): a form sent sooner than the form's minimum after it was
  shown is refused (no person types that fast), and so is one without a token or with a tampered one.
- The rate limit counts in the Django cache (Redis in production), so it holds across web processes. The client
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
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import BaseCache, cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from home.redis_cache import UNAVAILABLE
from site_project.client_ip import client_ip

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
# A form open longer than this is stale: the visitor is asked to send it again with a fresh token.
TOKEN_MAX_AGE_SECONDS = 60 * 60 * 24
# Where this process counts while the shared cache is unreachable; each form's keys have their own prefix.
LOCAL_COUNTER = LocMemCache("form-protection-rate", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def reject_line_breaks(value: str) -> None:
    """One-line values may end up in a mail header: refuse line breaks and other control characters."""
    if any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in str(value)):
        raise ValidationError("Please keep this on one line, without line breaks.", code="line_break")


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    reason: str = ""  # "missing", "tampered", "expired", "too-fast"


def _count(counter: BaseCache, key: str, window: int) -> int:
    """One more attempt under `key`; `add` then `incr` is atomic in Redis and locmem."""
    counter.add(key, 0, timeout=window)
    try:
        return counter.incr(key)
    except ValueError:  # expired (or never stored) between add and incr
        counter.set(key, 1, timeout=window)
        return 1


class FormProtection:
    """The spam checks of one form.

    `label` names the form in the log ("Contact form"); `salt` keeps one form's start token from being
    accepted by another; `rate_bucket` prefixes the form's rate-limit keys. The three `*_setting` arguments name
    Django settings, read at each check so that a changed setting applies at once.
    """

    def __init__(
        self,
        *,
        label: str,
        salt: str,
        rate_bucket: str,
        min_fill_setting: str,
        rate_limit_setting: str,
        rate_window_setting: str,
    ) -> None:
        self.label = label
        self.salt = salt
        self.rate_bucket = rate_bucket
        self.min_fill_setting = min_fill_setting
        self.rate_limit_setting = rate_limit_setting
        self.rate_window_setting = rate_window_setting
        self._counting_locally = False

    def min_fill_seconds(self) -> float:
        return float(getattr(settings, self.min_fill_setting))

    def rate_limit(self) -> tuple[int, int]:
        """(requests, window in seconds) allowed per client address."""
        return int(getattr(settings, self.rate_limit_setting)), int(
            getattr(settings, self.rate_window_setting)
        )

    def _rate_key(self, ip: str) -> str:
        digest = hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{self.rate_bucket}:{digest}"

    def hit_rate_limit(self, request: HttpRequest) -> bool:
        """Count one attempt from the request's address; True once it is over the limit for the current window.

        The key holds a hashed address, never the address itself. Counted in this process's memory while Redis
        does not answer (the module docstring's rule), said once in the log per outage.
        """
        limit, window = self.rate_limit()
        key = self._rate_key(client_ip(request))
        try:
            count = _count(cache, key, window)
        except UNAVAILABLE as error:
            if not self._counting_locally:
                logger.warning(
                    "%s rate limit counted per web process: the cache is unavailable (%s)",
                    self.label,
                    type(error).__name__,
                )
            self._counting_locally = True
            count = _count(LOCAL_COUNTER, key, window)
        else:
            if self._counting_locally:
                logger.info("%s rate limit counted in the shared cache again", self.label)
            self._counting_locally = False
        return count > limit

    def make_started_token(self, now: float | None = None) -> str:
        return signing.dumps({"t": now if now is not None else time.time()}, salt=self.salt, compress=True)

    def check_started_token(self, value: str, now: float | None = None) -> TokenCheck:
        now = now if now is not None else time.time()
        if not value:
            return TokenCheck(False, "missing")
        try:
            started = float(signing.loads(value, salt=self.salt)["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return TokenCheck(False, "tampered")
        if now - started > TOKEN_MAX_AGE_SECONDS:
            return TokenCheck(False, "expired")
        if now - started < self.min_fill_seconds():
            return TokenCheck(False, "too-fast")
        return TokenCheck(True)
