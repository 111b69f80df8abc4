"""The load balancer's health endpoint: 200 when the database and Redis answer, 503 when one does not."""

import pytest

from site_project import health
from site_project.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db


def test_health_is_ok_with_a_working_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_database_does_not_answer(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "check_database", lambda: False)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


def test_health_is_503_when_configured_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "down"


def test_health_reports_the_worker_heartbeat_age(client, settings):
    settings.REDIS_URL = ""
    record_worker_heartbeat()
    age = client.get("/health/").json()["worker_heartbeat_age_seconds"]
    assert age is not None and 0 <= age < 5
