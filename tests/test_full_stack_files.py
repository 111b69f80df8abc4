"""The compose file, Dockerfile and nginx config describe the full stack (no Docker engine runs here)."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.services import require_service

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
    # A stale copy served "while updating" outlives a page made private (its password form is never stored).
    assert re.search(r"^\s*proxy_cache_use_stale error timeout http_502 http_503;$", config, re.M)
    assert "proxy_cache_background_update" not in config
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


def test_caddy_terminates_tls_in_front_of_nginx_and_keeps_its_certificates():
    compose = load_compose()
    caddy = compose["services"]["caddy"]
    assert caddy["image"].startswith("caddy:2")
    assert {"80:80", "443:443"} <= set(caddy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    # Certificates live in a named volume: a restart must not ask Let's Encrypt again (it rate-limits).
    assert "caddydata:/data" in caddy["volumes"] and "caddydata" in compose["volumes"]
    assert caddy["environment"]["DOMAIN"] == "${DOMAIN:-localhost}"
    assert caddy["depends_on"]["nginx"]["condition"] == "service_healthy"
    # Visitors reach nginx only through caddy: its own port is published on the server's loopback only.
    assert all(str(port).startswith("127.0.0.1:") for port in compose["services"]["nginx"]["ports"])


def test_domain_is_the_one_address_the_app_services_follow():
    environment = load_compose()["x-app"]["environment"]
    assert environment["SITE_URL"] == "${SITE_URL:-https://${DOMAIN:-localhost}}"
    assert environment["ALLOWED_HOSTS"] == "${ALLOWED_HOSTS:-${DOMAIN:-localhost},127.0.0.1}"
    assert environment["SECURE_SSL_REDIRECT"] == "${SECURE_SSL_REDIRECT:-true}"


def caddyfile_directives() -> list[str]:
    text = (PROJECT_DIR / "deploy" / "Caddyfile").read_text()
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_caddyfile_serves_domain_with_automatic_certificates_through_nginx():
    directives = caddyfile_directives()
    assert directives == ["{$DOMAIN:localhost} {", "reverse_proxy nginx:80", "}"]


def test_caddy_reads_the_caddyfile_as_one_automatic_https_site_for_domain():
    caddy = shutil.which("caddy")
    require_service(caddy is not None, "needs caddy (apt-get install caddy) to read deploy/Caddyfile")
    adapted = subprocess.run(
        [caddy, "adapt", "--config", str(PROJECT_DIR / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env={**os.environ, "DOMAIN": "www.practice.example"},
        capture_output=True,
        text=True,
        check=True,
    )

    (server,) = json.loads(adapted.stdout)["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]
    assert "automatic_https" not in server  # nothing turns Caddy's certificates off
    (route,) = server["routes"]
    assert route["match"] == [{"host": ["www.practice.example"]}]
    assert '"upstreams":[{"dial":"nginx:80"}]' in json.dumps(route, separators=(",", ":"))


def test_nginx_passes_on_the_terminators_scheme_instead_of_its_own():
    config = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
    mapping = re.search(r"map \$http_x_forwarded_proto \$forwarded_proto \{([^}]*)\}", config)
    assert mapping
    assert re.findall(r"^\s*(\S+) (\S+);", mapping.group(1), re.M) == [
        ("default", "$scheme"),
        ("https", "https"),
        ("http", "http"),
    ]
    assert "X-Forwarded-Proto $scheme" not in config
    assert config.count("proxy_set_header X-Forwarded-Proto $forwarded_proto;") == config.count("proxy_pass ")
    # A redirect cached for a plain-HTTP request must never answer an https one.
    assert 'proxy_cache_key "$forwarded_proto$host$request_uri";' in config
