"""The deploy chain on this machine, as README's "Going live" runs it, for tests, screenshots and benchmarks.

    client ──TLS──▶ terminator ──▶ deploy/nginx.conf ──▶ gunicorn (production settings) ──▶ PostgreSQL
                    (Debian's nginx,                       │ a Celery worker and beat      ▶ a redis-server
                     self-signed cert)                     └ mail to an SMTP sink            of the chain's own

The terminator stands in for docker-compose.yml's Caddy: it ends TLS and sends `X-Forwarded-Proto: https`. With
`with_caddy` (the pytest fixture's default when caddy is installed) the shipped deploy/Caddyfile itself runs too,
as a second terminator in front of the same front proxy (`client("caddy")`).
deploy/nginx.conf runs as it is, with its addresses and folders moved by bench/common.py (the benchmarks' code,
which fails loudly if an anchor line changes). The public address is https://practice.test on port 443, as in
production (a Wagtail Site cannot describe https on another port): nothing listens on 443 here, so clients connect
to 127.0.0.1:<https_port> while naming practice.test, e.g. Chromium with `chromium_args()` and
`ignore_https_errors=True`, curl with `--connect-to practice.test:443:127.0.0.1:<https_port> -k`, Python with
`TlsChain.client()`.

From the command line (PostgreSQL database of your own; it is migrated and given the demo content and users):

    .venv/bin/python -m tests.tls_chain --database-url postgres://postgres@127.0.0.1:5432/h8_chain

As a pytest fixture: `tls_chain` (tests/conftest.py), on the PostgreSQL test database with the demo content, in
tests marked `pytest.mark.django_db(transaction=True, serialized_rollback=True)`.
"""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.redis_server import RedisServer, free_port

ROOT = Path(__file__).resolve().parent.parent
HOST = "practice.test"
SECRET_KEY = "tls-chain-only-secret-key-3f9a1c7e5b2d8f604a1e"  # noqa: S105 - a throwaway key  # nosec B105
CELERY_QUEUE = "celery"  # production settings name no queue of their own
CONTACT_PATH = "/contact/"
MIN_FILL_SECONDS = 3.2  # booking.spam's minimum fill time (3 s, production's), and a little more
# Outbox timings for tests: a failed delivery is retried after 1 s, and the sweep takes up mail left pending for
# 1 s and mail "sending" for 5 s (production: 30 s, 60 s and 180 s), so fault tests settle in seconds.
FAST_OUTBOX = {
    "OUTBOX_RETRY_BACKOFF_SECONDS": "1",
    "OUTBOX_RESEND_AFTER_SECONDS": "1",
    "OUTBOX_STALE_SENDING_SECONDS": "5",
}


def load_bench_common() -> ModuleType:
    """bench/common.py (not a package), registered while it runs: its dataclasses look their module up."""
    name = "bench_common"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "common.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


common = load_bench_common()

TERMINATOR_CONF = """\
# The TLS terminator of tests/tls_chain.py: what Caddy does in docker-compose.yml, with a self-signed certificate.
user {user};
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;

events {{
    worker_connections 512;
}}

http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy_temp;
    fastcgi_temp_path {prefix}/fastcgi_temp;
    uwsgi_temp_path {prefix}/uwsgi_temp;
    scgi_temp_path {prefix}/scgi_temp;

    server {{
        listen 127.0.0.1:{port} ssl default_server;
        server_name {host};
        server_tokens off;
        ssl_certificate {certificate};
        ssl_certificate_key {key};
        client_max_body_size 12m;

        location / {{
            proxy_pass http://127.0.0.1:{upstream_port};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


CADDY_OPTIONS = """\
# tests/tls_chain.py: free ports on this machine's loopback, and certificates from Caddy's own local authority
# (no Let's Encrypt from here). The site block below is deploy/Caddyfile.
{{
	http_port {http_port}
	https_port {https_port}
	default_bind 127.0.0.1
	local_certs
	skip_install_trust
	admin off
}}

"""


def hidden_value(html: str, name: str) -> str:
    """The value of the form input called `name` in a page."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    if value is None:
        raise ValueError(f"no input named {name} in the page")
    return value.group(1)


def missing_tools() -> list[str]:
    """The programs the chain needs that this machine lacks."""
    tools = {
        "nginx": "/usr/sbin/nginx",
        "openssl": "/usr/bin/openssl",
        "redis-server": "/usr/bin/redis-server",
    }
    return [name for name, path in tools.items() if not (shutil.which(name) or Path(path).exists())]


def make_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for `host` and 127.0.0.1, valid two days; returns (certificate, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={host}"]
        + [
            "-addext",
            f"subjectAltName=DNS:{host},IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def wait_for_tls(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Wait until a TLS handshake succeeds on 127.0.0.1:port (any certificate)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the TLS terminator exited with {process.returncode}")
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=1) as raw,
                context.wrap_socket(raw, server_hostname=HOST),
            ):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"no TLS on 127.0.0.1:{port} within {timeout:.0f} s")


class _ChainAdapter(HTTPAdapter):
    """Sends requests for https://practice.test to a terminator's port, naming practice.test in the TLS handshake
    (SNI, certificate check) and keeping the public URL everywhere else (cookies, redirects, response.url), as a
    browser with the name in its hosts file would."""

    def __init__(self, address: str, server_hostname: str) -> None:
        self.address = address
        self.server_hostname = server_hostname
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, server_hostname=self.server_hostname, **kwargs)

    def send(self, request, **kwargs):
        public = request.url
        parts = urlsplit(public)
        request.url = urlunsplit(parts._replace(netloc=self.address))
        request.headers["Host"] = parts.netloc
        try:
            response = super().send(request, **kwargs)
        finally:
            request.url = public
        response.url = public
        return response


@dataclass(frozen=True)
class Terminator:
    """A TLS terminator in front of the front proxy: its port and the certificate (or authority) to trust."""

    port: int
    certificate: Path


class TlsChain:
    """Every process of the chain, started in order by `start()` and stopped in reverse by `stop()`.

    Two terminators can stand in front of the same front proxy: Debian's nginx with a self-signed certificate
    (always), and the shipped deploy/Caddyfile itself when caddy is installed (`with_caddy`), on free ports and
    with certificates from Caddy's own local authority instead of Let's Encrypt.
    """

    def __init__(
        self,
        folder: Path,
        database_url: str,
        *,
        smtp_port: int | None = None,
        https_port: int | None = None,
        media_root: Path | None = None,
        gunicorn_workers: int = 2,
        extra_env: dict[str, str] | None = None,
        with_caddy: bool = False,
    ) -> None:
        self.folder = folder
        self.database_url = database_url
        self.smtp_port = smtp_port
        self.media_root = media_root or folder / "media"
        self.gunicorn_workers = gunicorn_workers
        self.extra_env = extra_env or {}
        self.host = HOST
        self.https_port = https_port or free_port()
        self.front_port = free_port()
        self.gunicorn_port = free_port()
        self.redis = RedisServer(folder / "redis")
        self.certificate = folder / "tls" / "certificate.pem"
        self.with_caddy = with_caddy
        self.terminators: dict[str, Terminator] = {}
        self.processes: dict[str, subprocess.Popen] = {}

    # Addresses -------------------------------------------------------------------------------------------------

    @property
    def site_url(self) -> str:
        return f"https://{self.host}"

    def url(self, path: str = "/") -> str:
        return self.site_url + path

    def chromium_args(self, terminator: str = "nginx") -> list[str]:
        """Chromium flags that send https://practice.test to this chain (add `ignore_https_errors=True`)."""
        return [f"--host-resolver-rules=MAP {self.host}:443 127.0.0.1:{self.terminators[terminator].port}"]

    def client(self, terminator: str = "nginx") -> requests.Session:
        """An HTTPS client that trusts the terminator's certificate and reaches https://practice.test through it."""
        chosen = self.terminators[terminator]
        session = requests.Session()
        session.trust_env = (
            False  # REQUESTS_CA_BUNDLE or a proxy from the environment would win over `verify`
        )
        session.verify = str(chosen.certificate)
        session.mount(self.site_url, _ChainAdapter(f"127.0.0.1:{chosen.port}", self.host))
        return session

    # Environment -----------------------------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        """Production settings, as docker-compose.yml sets them, on this chain's database, Redis and SMTP sink."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "SENTRY_", "TEST_", "CI"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
                "SECRET_KEY": SECRET_KEY,
                "ALLOWED_HOSTS": f"{self.host},127.0.0.1",  # 127.0.0.1: health checks, as in the compose file
                "SITE_URL": self.site_url,
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis.url(0),
                "TRUSTED_PROXIES": "127.0.0.1",
                "STATIC_ROOT": str(self.folder / "static"),
                "MEDIA_ROOT": str(self.media_root),
                "LOG_FORMAT": "plain",
                "MAIL_RETRY_BACKOFF_SECONDS": "1",
                "PYTHONUNBUFFERED": "1",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        if self.smtp_port:
            env.update(
                {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.smtp_port), "EMAIL_USE_TLS": "false"}
            )
        env.update(self.extra_env)
        return env

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [common.PYTHON, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    # Processes -------------------------------------------------------------------------------------------------

    def start(self, *, prepare_database: bool = False, with_beat: bool = True) -> TlsChain:
        """Start everything; with `prepare_database`, migrate and load the demo content (with its users) first.

        Without `with_beat` the chain runs no beat: under pytest its database is the test database that other
        tests' own workers use, and beat's minute sweep would send their pending mail to the shared sink."""
        missing = missing_tools()
        if missing:
            raise RuntimeError(
                f"the TLS chain needs {', '.join(missing)} (apt-get install nginx openssl redis)"
            )
        self.media_root.mkdir(parents=True, exist_ok=True)
        try:
            self.redis.start()
            if prepare_database:
                self.manage("migrate", "--no-input")
                self.manage("load_demo_content", "--with-users")
            self.manage("collectstatic", "--no-input", "--verbosity", "0")
            self.start_gunicorn()
            self._start_front_proxy()
            self._start_terminator()
            if self.with_caddy:
                self._start_caddy()
            self.start_worker()
            if with_beat:
                self.start_beat()
        except BaseException:
            self.stop()
            raise
        return self

    def start_gunicorn(self) -> None:
        self.processes["gunicorn"] = common.start_gunicorn(
            self.environment(),
            self.gunicorn_port,
            self.folder / "gunicorn.log",
            workers=self.gunicorn_workers,
            ready_path="/health/",
        )

    def _start_front_proxy(self) -> None:
        prefix = self.folder / "front"
        conf = common.render_front_proxy(
            self.folder / "front.conf",
            prefix=prefix,
            port=self.front_port,
            upstream_port=self.gunicorn_port,
            media_root=self.media_root,
        )
        self.processes["front proxy"] = common.start_nginx(conf, prefix, self.front_port)

    def _start_terminator(self) -> None:
        prefix = self.folder / "tls"
        certificate, key = make_certificate(prefix, self.host)
        conf = self.folder / "tls.conf"
        conf.write_text(
            TERMINATOR_CONF.format(
                user=getpass.getuser(),
                prefix=prefix,
                port=self.https_port,
                host=self.host,
                certificate=certificate,
                key=key,
                upstream_port=self.front_port,
            )
        )
        self.processes["terminator"] = common.start_nginx(
            conf, prefix, self.https_port, ready=lambda process: wait_for_tls(self.https_port, process)
        )
        self.terminators["nginx"] = Terminator(self.https_port, certificate)

    def _start_caddy(self) -> None:
        """deploy/Caddyfile as shipped, with its upstream moved here and global options for this machine."""
        prefix = self.folder / "caddy"
        prefix.mkdir(parents=True, exist_ok=True)
        shipped = (ROOT / "deploy" / "Caddyfile").read_text()
        anchor = "reverse_proxy nginx:80"
        if shipped.count(anchor) != 1:
            raise ValueError(
                f"deploy/Caddyfile: expected {anchor!r} once; update tests/tls_chain.py _start_caddy"
            )
        port = free_port()
        conf = prefix / "Caddyfile"
        conf.write_text(
            CADDY_OPTIONS.format(http_port=free_port(), https_port=port)
            + shipped.replace(anchor, f"reverse_proxy 127.0.0.1:{self.front_port}")
        )
        env = {
            **os.environ,
            "DOMAIN": self.host,
            "HOME": str(prefix),
            "XDG_DATA_HOME": str(prefix / "data"),
            "XDG_CONFIG_HOME": str(prefix / "config"),
        }
        with (prefix / "caddy.log").open("ab") as log:
            process = subprocess.Popen(
                [shutil.which("caddy") or "caddy", "run", "--config", str(conf), "--adapter", "caddyfile"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes["caddy"] = process
        wait_for_tls(port, process, timeout=60)
        authority = prefix / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        self.terminators["caddy"] = Terminator(port, authority)

    def start_worker(self) -> None:
        """A Celery worker on the chain's Redis (tests/integration.py's, one task at a time: --pool=solo);
        acks_late and reject_on_worker_lost come from settings, as in production."""
        from tests.integration import start_worker

        worker = start_worker(self.environment(), self.folder / "worker.log", queue=CELERY_QUEUE)
        self.processes["worker"] = worker.process

    def start_beat(self) -> None:
        log_path = self.folder / "beat.log"
        schedule = self.folder / "celerybeat-schedule"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [
                    str(common.VENV_BIN / "celery"),
                    "-A",
                    "site_project",
                    "beat",
                    "--loglevel=info",
                    "-s",
                    str(schedule),
                ],
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes["beat"] = process
        deadline = time.monotonic() + 60
        while b"beat: Starting" not in log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery beat did not start; see {log_path}")
            time.sleep(0.1)

    def kill(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one of the chain's processes (and its children) by id; SIGKILL leaves it no time to clean up."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        if sig == signal.SIGTERM:
            common.stop(process)
            return
        os.killpg(process.pid, sig)
        process.wait()

    def run_task(self, name: str) -> None:
        """Send task `name` through the chain's broker, as beat does (e.g. the outbox sweep, without waiting for
        beat's minute)."""
        self.manage_celery("call", name)

    def manage_celery(self, *arguments: str) -> str:
        result = subprocess.run(
            [str(common.VENV_BIN / "celery"), "-A", "site_project", *arguments],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode:
            raise RuntimeError(f"celery {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    # The contact form --------------------------------------------------------------------------------------------

    def contact_form(self, client: requests.Session, **overrides: str) -> tuple[dict[str, str], float]:
        """GET the contact page as a visitor: a valid post for the demo form with the page's CSRF token and
        signed start time, and when it was fetched."""
        from tests.booking_factories import contact_post

        html = client.get(self.url(CONTACT_PATH)).text
        fetched_at = time.monotonic()  # the start time was signed before the page arrived
        data = contact_post(
            form_started=hidden_value(html, "form_started"),
            csrfmiddlewaretoken=hidden_value(html, "csrfmiddlewaretoken"),
            **overrides,
        )
        return data, fetched_at

    def post_contact_form(self, client: requests.Session, data: dict[str, str], fetched_at: float):
        """POST a form from `contact_form` once its minimum fill time has passed (the wait keeps production's)."""
        time.sleep(max(0.0, fetched_at + MIN_FILL_SECONDS - time.monotonic()))
        return client.post(self.url(CONTACT_PATH), data=data, headers={"Referer": self.url(CONTACT_PATH)})

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.kill(name)
        self.redis.stop()

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


# pytest fixtures ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tls_chain_servers(django_db_setup, smtp_sink, tmp_path_factory) -> Iterator[TlsChain]:
    """The chain's processes, once per test session, on the PostgreSQL test database and the tests' media."""
    from django.conf import settings
    from django.db import connection

    from tests.integration import database_url
    from tests.services import require_service

    require_service(connection.vendor == "postgresql", "the TLS chain needs DATABASE_URL for PostgreSQL")
    missing = missing_tools()
    require_service(not missing, f"the TLS chain needs {', '.join(missing)}")
    chain = TlsChain(
        tmp_path_factory.mktemp("tls-chain"),
        database_url(),
        smtp_port=smtp_sink.port,
        media_root=Path(settings.MEDIA_ROOT),
        extra_env=FAST_OUTBOX,
        with_caddy=shutil.which("caddy") is not None,
    )
    chain.start(with_beat=False)  # tests run the sweep themselves (run_task), as beat would
    yield chain
    chain.stop()


@pytest.fixture
def tls_chain(tls_chain_servers, transactional_db, settings, smtp_sink) -> TlsChain:
    """The running chain with the demo content (users included) committed, an empty Redis and an empty sink."""
    from django.conf import global_settings
    from django.core.management import call_command

    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = tls_chain_servers.site_url
    # The test settings' fast MD5 hasher is unknown to production settings: the demo users could not sign in.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    call_command("load_demo_content", "--with-users", stdout=StringIO())
    tls_chain_servers.redis.flush()
    smtp_sink.clear()
    return tls_chain_servers


# Command line ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Serve the site through TLS terminator, deploy/nginx.conf and gunicorn until interrupted."
    )
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database of your own")
    parser.add_argument("--port", type=int, default=None, help="the terminator's port (default: a free one)")
    args = parser.parse_args()

    from tests.integration import SmtpSink

    sink = SmtpSink(port=free_port())
    sink.start()
    folder = Path(tempfile.mkdtemp(prefix="tls-chain-"))
    chain = TlsChain(folder, args.database_url, smtp_port=sink.port, https_port=args.port)
    print(f"Starting the chain in {folder} (its logs are there) ...", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    started = False
    try:
        chain.start(prepare_database=True)
        started = True
        print(
            f"\nServing {chain.site_url}/ through 127.0.0.1:{chain.https_port} (self-signed certificate).\n"
            f"  Chromium / Playwright: args={chain.chromium_args()!r}, ignore_https_errors=True\n"
            f"  curl: curl -k --connect-to {chain.host}:443:127.0.0.1:{chain.https_port} {chain.site_url}/\n"
            f"  admin: {chain.site_url}/admin/ as admin / practice-demo-2026\n"
            f"  mail goes to an SMTP sink on port {sink.port} and is listed here. Ctrl-C or SIGTERM stops it all.",
            flush=True,
        )
        shown = 0
        while True:
            time.sleep(1)
            for message in sink.messages[shown:]:
                print(f"mail to {message['To']}: {message['Subject']}", flush=True)
            shown = len(sink.messages)
    except KeyboardInterrupt:
        pass
    finally:
        chain.stop()
        sink.stop()
        if started:  # a failed start keeps its logs
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
