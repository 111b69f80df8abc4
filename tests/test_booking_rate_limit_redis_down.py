"""The contact form's rate limit with Redis stopped for real: each web process counts in its own memory
(site_project/form_protection.py's rule), refuses a flood, never refuses a visitor because of the outage, and goes
back to Redis when it answers again."""

import logging

import pytest
import redis
from django.test import RequestFactory

from booking import spam
from site_project import form_protection
from tests.redis_server import RedisServer
from tests.services import require_service

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_cache(tmp_path, settings, monkeypatch):
    """The site's cache backend (as production configures it) on a redis-server of this test's own, trying Redis
    again at once after a failure (instead of after a few seconds) so a restart is seen by the next call."""
    require_service(RedisServer.binary() is not None, "needs redis-server (apt-get install redis-server)")
    monkeypatch.setattr("home.redis_cache.RETRY_SECONDS", 0)
    server = RedisServer(tmp_path / "redis")
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "home.redis_cache.FailSafeRedisCache",
            "LOCATION": server.url(0),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        },
    }
    settings.CONTACT_RATE_LIMIT = 3
    form_protection.LOCAL_COUNTER.clear()
    spam.CONTACT_FORM._counting_locally = False
    yield server
    server.stop()
    form_protection.LOCAL_COUNTER.clear()
    spam.CONTACT_FORM._counting_locally = False


def post_from(address: str):
    return RequestFactory().post("/contact/", REMOTE_ADDR=address)


def test_with_redis_stopped_an_address_is_refused_once_over_the_limit(redis_cache):
    redis_cache.stop()

    refused = [spam.hit_rate_limit(post_from("198.51.100.7")) for _ in range(5)]

    assert refused == [False, False, False, True, True]
    assert spam.hit_rate_limit(post_from("198.51.100.8")) is False


def test_the_outage_is_logged_once_and_the_return_once(redis_cache, caplog):
    redis_cache.stop()
    with caplog.at_level(logging.INFO, logger="site_project.form_protection"):
        for _ in range(3):
            spam.hit_rate_limit(post_from("198.51.100.7"))
        redis_cache.start()
        spam.hit_rate_limit(post_from("198.51.100.9"))

    messages = [
        record.getMessage() for record in caplog.records if record.name == "site_project.form_protection"
    ]
    assert messages == [
        "Contact form rate limit counted per web process: the cache is unavailable (ConnectionError)",
        "Contact form rate limit counted in the shared cache again",
    ]


def test_counting_goes_back_to_redis_when_it_answers_again(redis_cache):
    redis_cache.stop()
    spam.hit_rate_limit(post_from("198.51.100.7"))
    redis_cache.start()

    spam.hit_rate_limit(post_from("198.51.100.7"))

    keys = redis.Redis(port=redis_cache.port).keys("*contact-rate*")
    assert len(keys) == 1
    assert b"198.51.100.7" not in keys[0]  # a keyed hash of the address, never the address
