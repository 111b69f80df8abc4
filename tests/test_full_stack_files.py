"""The compose file, Dockerfile and nginx config describe the full stack (no Docker engine runs here)."""

import importlib.util
import re
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent


def load_compose() -> dict:
    return yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())


def test_compose_defines_the_whole_stack_with_health_checks():
    services = load_compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "nginx"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
        assert service["healthcheck"]["test"], name


def test_app_services_share_one_image_and_wait_for_healthy_databases():
    services = load_compose()["services"]
    images = {services[name]["image"] for name in ("web", "worker", "beat")}
    assert len(images) == 1
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert "SECRET_KEY" in environment and "SITE_URL" in environment


def test_web_runs_gunicorn_worker_and_beat_run_celery():
    services = load_compose()["services"]
    assert "gunicorn site_project.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "site_project", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "site_project", "beat"]


def test_data_lives_in_named_volumes():
    compose = load_compose()
    volumes = set(compose["volumes"])
    assert {"pgdata", "media", "redisdata"} <= volumes
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_dockerfile_installs_from_the_lock_and_runs_unprivileged():
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert re.search(r"^USER practice$", dockerfile, re.M)
    assert "FROM python:3.11" in dockerfile


def test_nginx_fronts_django_caches_anonymous_gets_only_and_serves_media():
    config = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
    assert "proxy_pass http://django;" in config
    assert "proxy_no_cache $cookie_sessionid $skip_cache_method" in config
    assert "location /media/" in config
    assert re.search(r"location /admin/ \{[^}]*proxy_cache off;", config, re.S)
    assert re.search(r"location /search/ \{[^}]*proxy_cache off;", config, re.S)
    assert "gzip on;" in config
    # A lock would hold concurrent visitors of never-cached pages (the contact form) for its whole timeout.
    assert "proxy_cache_lock on" not in config
    assert "proxy_cache_use_stale updating" in config and "proxy_cache_background_update on;" in config
    valid = re.search(r"proxy_cache_valid [0-9 ]+ (\d+)s;", config)
    assert valid and int(valid.group(1)) <= 10


def test_the_benchmarks_measure_the_deployed_nginx_config(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bench_common", PROJECT_DIR / "bench" / "common.py")
    bench_common = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(
        sys.modules, spec.name, bench_common
    )  # dataclasses look their module up while defined
    spec.loader.exec_module(bench_common)

    conf = bench_common.render_front_proxy(
        tmp_path / "front.conf", prefix=tmp_path / "front", port=8123, upstream_port=8124, media_root=tmp_path
    ).read_text()

    deployed = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
    for location in re.findall(r"^\s*(location [^{]+)\{", deployed, re.M):
        assert location in conf
    for line in ("listen 127.0.0.1:8123 default_server;", "server 127.0.0.1:8124;", f"alias {tmp_path}/;"):
        assert line in conf
    assert "web:8000" not in conf and "/var/cache/nginx" not in conf


def test_env_example_lists_every_documented_variable():
    example = (PROJECT_DIR / ".env.example").read_text()
    readme = (PROJECT_DIR / "README.md").read_text()
    for variable in (
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "EMAIL_HOST",
        "DEFAULT_FROM_EMAIL",
    ):
        assert f"{variable}=" in example, variable
        assert f"`{variable}`" in readme, variable
