"""The site's Redis cache backend: Django's, with one client per connection pool and misses when Redis is down.

Django's `RedisCache` builds a new `redis.Redis` object on every call (a few hundred microseconds of Python each
time); this one keeps one per pool, which redis-py allows: a client is safe to share between threads.

A cache only ever speeds pages up, so when Redis does not answer, reads miss and writes are dropped instead of
raising: every page is still served, uncached. The first failure is logged once, as a warning; then Redis is left
alone for `RETRY_SECONDS` (no connection attempt per request while it is down) and tried again; the first success
after an outage is logged once too. Counters are the exception: `incr` and `decr` still raise, because only the
caller can decide whether a lost count (a rate limit's) should allow or refuse.

`get_each` reads several keys with their own versions, and `set_each` writes several with their own timeouts, in one
round trip each (the page cache reads and stores a page and the site's frame together).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one `redis.Redis` per connection pool instead of one per call."""

    def __init__(self, servers, **options) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class Availability:
    """Whether Redis answered lately, shared by every thread of the process; says so once per change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    def should_try(self) -> bool:
        return self._down_since is None or time.monotonic() >= self._retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            now = time.monotonic()
            self._retry_at = now + RETRY_SECONDS
            if self._down_since is None:
                self._down_since = now
                logger.warning(
                    "Redis cache unavailable (%s): pages are served uncached until it answers again",
                    type(error).__name__,
                )

    def succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is not None:
                logger.info("Redis cache answers again after %.0f s", time.monotonic() - self._down_since)
                self._down_since = None


class DecodedOnUse(Mapping):
    """Values read from Redis, each unpickled on first use: a page-cache hit reads the shared frame in the same
    round trip as the page, and never unpickles it (a millisecond of model instances on every hit)."""

    def __init__(self, raw: dict[str, bytes], loads: Callable[[bytes], Any]) -> None:
        self._raw = raw
        self._loads = loads
        self._decoded: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._decoded:
            self._decoded[key] = self._loads(self._raw[key])
        return self._decoded[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class FailSafeRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that misses instead of failing when Redis is unreachable."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.availability = Availability()

    def _guard(self, call, fallback):
        if not self.availability.should_try():
            return fallback
        try:
            result = call()
        except UNAVAILABLE as error:
            self.availability.failed(error)
            return fallback
        self.availability.succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(FailSafeRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(FailSafeRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(FailSafeRedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailSafeRedisCache, self).add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(lambda: super(FailSafeRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            lambda: super(FailSafeRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailSafeRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(FailSafeRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._guard(lambda: super(FailSafeRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard(lambda: super(FailSafeRedisCache, self).clear(), False)

    def get_each(self, keys: Iterable[tuple[str, int | None]]) -> Mapping[str, Any]:
        """The values of several (key, version) pairs in one round trip, by key; missing keys are left out. Each
        value is unpickled when first asked for, so a caller that stops early pays only for what it used."""
        wanted = {self.make_and_validate_key(key, version=version): key for key, version in keys}

        def read() -> Mapping[str, Any]:
            full_keys = list(wanted)
            values = self._cache.get_client(None).mget(full_keys)
            found = {
                wanted[full_key]: value
                for full_key, value in zip(full_keys, values, strict=True)
                if value is not None
            }
            return DecodedOnUse(found, self._cache._serializer.loads)

        return self._guard(read, {})

    def set_each(self, items: Iterable[tuple[str, Any, int | None]]) -> None:
        """Store each (key, value, timeout in seconds) in one round trip; a timeout of None keeps it for good."""
        entries = [(self.make_and_validate_key(key), value, timeout) for key, value, timeout in items]
        if not entries:
            return

        def write() -> None:
            client = self._cache.get_client(None, write=True)
            pipeline = client.pipeline(transaction=False)
            for key, value, timeout in entries:
                pipeline.set(key, self._cache._serializer.dumps(value), ex=timeout)
            pipeline.execute()

        self._guard(write, None)


def get_each(cache, keys: Iterable[tuple[str, int | None]]) -> Mapping[str, Any]:
    """Several keys, each with its own version: one round trip on this backend, one call each on any other."""
    read_together = getattr(cache, "get_each", None)  # through Django's `cache` proxy too
    if read_together is not None:
        return read_together(keys)
    found = {}
    for key, version in keys:
        value = cache.get(key, version=version)
        if value is not None:
            found[key] = value
    return found


def set_each(cache, items: Iterable[tuple[str, Any, int | None]]) -> None:
    """Store several keys with their own timeouts: one round trip on this backend, one call each on any other."""
    write_together = getattr(cache, "set_each", None)  # through Django's `cache` proxy too
    if write_together is not None:
        write_together(items)
        return
    for key, value, timeout in items:
        cache.set(key, value, timeout)
