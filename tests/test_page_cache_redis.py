"""The page and frame caches on a real Redis: few round trips per uncached page, and pages served when it stops.

Each test starts its own `redis-server` on a free port (tests/redis_server.py) and points the cache at it with the
production backend (home.redis_cache.FailSafeRedisCache). Commands are counted by the server itself (INFO
commandstats), round trips by the client's socket writes, queries by Django.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Author, BlogIndexPage
from home import redis_cache
from home.models import PracticeSettings
from home.page_cache import invalidate_page_cache
from tests.blog_factories import make_post
from tests.factories import demo_html_pages
from tests.redis_server import RedisServer
from tests.services import require_service

pytestmark = pytest.mark.django_db

ROUND_TRIP_BUDGET = 3
QUERY_BUDGET = 10
NEVER_PAGE_CACHED = {"contact", "search", "search without results"}


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    require_service(RedisServer.binary() is not None, "these tests start their own redis-server")
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache_settings(settings, redis_server, monkeypatch):
    """The production cache settings (site_project/settings/base.py) on the test's own Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "home.redis_cache.FailSafeRedisCache",
            "LOCATION": redis_server.url(),
            "KEY_PREFIX": "practice",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        },
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    settings.PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    return settings


@pytest.fixture
def demo_pages(redis_cache_settings) -> dict[str, str]:
    call_command("load_demo_content", stdout=StringIO())
    return demo_html_pages()


class RedisTraffic:
    """Commands the server ran (INFO commandstats) and round trips the site's clients made (socket writes)."""

    def __init__(self, server: RedisServer, monkeypatch) -> None:
        self.admin = redis.Redis(port=server.port)
        self.round_trips = 0
        send = redis.connection.Connection.send_packed_command

        def counting_send(connection, command, check_health=True):
            if connection.port == server.port:
                self.round_trips += 1
            return send(connection, command, check_health)

        monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting_send)

    @contextmanager
    def measure(self) -> Iterator[dict[str, int]]:
        self.admin.config_resetstat()
        self.round_trips = 0
        figures: dict[str, int] = {}
        yield figures
        figures["round_trips"] = self.round_trips  # before this client's own INFO
        stats = self.admin.info("commandstats")
        figures["commands"] = sum(
            entry["calls"]
            for name, entry in stats.items()
            if name not in {"cmdstat_info", "cmdstat_config|resetstat"}
        )


@pytest.fixture
def traffic(redis_server, monkeypatch) -> RedisTraffic:
    return RedisTraffic(redis_server, monkeypatch)


def visit(client, url: str, traffic: RedisTraffic) -> dict[str, object]:
    client.cookies.clear()
    with traffic.measure() as figures, CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        **figures,
        "queries": len(queries),
        "status": response.status_code,
        "cache": response.get("X-Page-Cache"),
    }


def over_budget(figures: dict[str, dict]) -> dict[str, dict]:
    return {
        name: seen
        for name, seen in figures.items()
        if seen["status"] != 200 or seen["round_trips"] > ROUND_TRIP_BUDGET or seen["queries"] > QUERY_BUDGET
    }


def test_the_first_view_of_every_page_after_a_new_post_takes_three_round_trips_and_ten_queries_at_most(
    client, demo_pages, traffic
):
    for url in demo_pages.values():
        assert client.get(url).status_code == 200, url

    make_post(
        BlogIndexPage.objects.get(),
        title="A new post on sleep",
        tags=["sleep"],
        authors=[Author.objects.first()],
    )
    after_publish = {name: visit(client, url, traffic) for name, url in demo_pages.items()}

    assert over_budget(after_publish) == {}, over_budget(after_publish)
    assert all(seen["commands"] <= ROUND_TRIP_BUDGET for seen in after_publish.values()), after_publish
    assert {name for name, seen in after_publish.items() if seen["cache"] != "miss"} == NEVER_PAGE_CACHED


def test_a_page_cache_hit_takes_one_round_trip_and_no_query(client, demo_pages, traffic):
    for url in demo_pages.values():
        client.get(url)

    hits = {
        name: visit(client, url, traffic) for name, url in demo_pages.items() if name not in NEVER_PAGE_CACHED
    }

    assert all(seen["cache"] == "hit" for seen in hits.values()), hits
    assert {(seen["round_trips"], seen["commands"], seen["queries"]) for seen in hits.values()} == {(1, 1, 0)}


def test_pages_rebuilding_the_whole_frame_still_take_three_round_trips_at_most(client, demo_pages, traffic):
    for url in demo_pages.values():
        client.get(url)
    invalidate_page_cache()  # a settings or menu change: frame and pages both start again

    rebuilt = {name: visit(client, url, traffic) for name, url in demo_pages.items()}

    assert {name: seen for name, seen in rebuilt.items() if seen["round_trips"] > ROUND_TRIP_BUDGET} == {}, (
        rebuilt
    )
    assert all(seen["status"] == 200 for seen in rebuilt.values()), rebuilt


def test_with_redis_stopped_every_page_is_served_and_the_outage_is_logged_once(
    client, demo_pages, redis_server, caplog
):
    for url in demo_pages.values():
        client.get(url)
    redis_server.stop()

    with caplog.at_level(logging.INFO, logger="home.redis_cache"):
        responses = {name: client.get(url) for name, url in [*demo_pages.items(), *demo_pages.items()]}

    assert {name: r.status_code for name, r in responses.items() if r.status_code != 200} == {}
    assert all(r.get("X-Page-Cache") != "hit" for r in responses.values())
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()


def test_a_publish_while_redis_is_down_is_saved_and_pages_are_cached_again_once_it_is_back(
    client, demo_pages, redis_server, caplog
):
    client.get("/")
    redis_server.stop()

    with caplog.at_level(logging.INFO):
        post = make_post(BlogIndexPage.objects.get(), title="Written during the outage", tags=["sleep"])
        assert "Written during the outage" in client.get("/blog/").content.decode()
        redis_server.start()
        time.sleep(
            redis_cache.RETRY_SECONDS + 0.05
        )  # the backend leaves Redis alone that long after a failure
        first, second = client.get(post.url), client.get(post.url)

    assert post.live
    assert any("Could not refresh the page cache" in record.getMessage() for record in caplog.records)
    assert any("answers again" in record.getMessage() for record in caplog.records)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")


def test_saving_the_practice_settings_while_redis_is_down_is_not_an_error(demo_pages, redis_server):
    redis_server.stop()
    practice = PracticeSettings.objects.get()
    practice.crisis_notice = "Call the warm line at 555-0199."
    practice.save()
    practice.refresh_from_db()
    assert practice.crisis_notice == "Call the warm line at 555-0199."
