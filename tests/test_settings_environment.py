"""Configuration comes from the environment with safe defaults; production refuses to start without a secret."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_project.env import env_bool, env_int, env_list

PROJECT_DIR = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "delivery": settings.EMAIL_DELIVERY_BACKEND,
    "email_backend": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "site_url": settings.SITE_URL,
}))
"""

CONFIG_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DJANGO_DEBUG",
)


def load_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_uses_sqlite_eager_celery_local_cache_and_console_mail():
    result = load_settings("site_project.settings.dev")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["eager"] is True
    assert config["cache"].endswith("LocMemCache")
    assert config["delivery"] == "django.core.mail.backends.console.EmailBackend"
    assert config["email_backend"] == "site_project.outbox.backend.OutboxEmailBackend"
    assert config["debug"] is True


def test_database_and_redis_urls_switch_to_postgresql_and_a_redis_worker():
    result = load_settings(
        "site_project.settings.dev",
        DATABASE_URL="postgres://user:pw@db.internal:5432/practice",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_HOST="smtp.internal",
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["eager"] is False
    assert config["broker"] == "redis://cache.internal:6379/0"
    assert config["cache"] == "home.redis_cache.FailSafeRedisCache"
    assert config["delivery"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings("site_project.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_reads_hosts_and_site_url_from_the_environment():
    result = load_settings(
        "site_project.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="www.practice.example,practice.example",
        SITE_URL="https://www.practice.example/",
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["debug"] is False
    assert config["hosts"] == ["www.practice.example", "practice.example"]
    assert config["site_url"] == "https://www.practice.example"


def test_environment_readers_reject_malformed_values(monkeypatch):
    monkeypatch.setenv("SOME_PORT", "twenty")
    monkeypatch.setenv("SOME_FLAG", "maybe")
    monkeypatch.setenv("SOME_HOSTS", " a.example , ,b.example ")
    with pytest.raises(ValueError, match="SOME_PORT"):
        env_int("SOME_PORT", 1)
    with pytest.raises(ValueError, match="SOME_FLAG"):
        env_bool("SOME_FLAG")
    assert env_list("SOME_HOSTS", []) == ["a.example", "b.example"]
    assert env_int("UNSET_VARIABLE_FOR_TEST", 7) == 7


def test_every_variable_the_settings_read_is_in_the_readme_configuration_table():
    """A deployer learns every knob from the README: each env_*("NAME") in base and production settings is listed."""
    read = set()
    for module in ("base.py", "production.py"):
        source = (PROJECT_DIR / "site_project" / "settings" / module).read_text()
        read |= set(re.findall(r"env_(?:str|int|bool|list)\(\s*\"([A-Z0-9_]+)\"", source))
    readme = (PROJECT_DIR / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z0-9_]+)`", table))

    assert "CONTACT_RATE_LIMIT" in read
    assert read - documented == set()
