"""Real services for integration tests: a Celery worker process on the Redis broker and an SMTP sink.

The worker runs `celery -A site_project worker` in a subprocess with the test settings, pointed at the test
database and at the sink, consuming a queue private to this test run. Tests that use it must commit their data
(`pytest.mark.django_db(transaction=True)`), because the worker reads it through its own connection.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from site_project.celery import app as celery_app
from tests.redis_server import free_port
from tests.services import require_service

PROJECT_DIR = Path(__file__).resolve().parent.parent


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


@dataclass
class SmtpSink:
    """Collects every message delivered to it; `fail_next` makes the next N deliveries fail with a 451, and
    `stop()`/`start()` take the whole server down (connections refused) and bring it back on the same port."""

    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    fail_next: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = field(default=None, repr=False)

    def start(self) -> None:
        if self.controller is None:
            # A server_hostname of its own: aiosmtpd's default looks the machine's name up (socket.getfqdn) on
            # every connection, tens of milliseconds each, and the outbox opens a connection per message.
            self.controller = Controller(
                self, hostname="127.0.0.1", port=self.port, server_hostname="sink.test"
            )
            self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                self.refused += 1
                return "451 Temporary failure, try again later"
            self.messages.append(message_from_bytes(envelope.content))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.envelopes.clear()
            self.fail_next = 0
            self.refused = 0

    def wait_for(self, count: int, timeout: float = 20) -> list[Message]:
        wait_until(lambda: len(self.messages) >= count, timeout)
        return list(self.messages)


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    sink.start()
    yield sink
    sink.stop()


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_worker(env: dict[str, str], log_path: Path, queue: str | None = None) -> WorkerProcess:
    """A `celery worker` process consuming `queue` (default: this test run's private queue)."""
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "site_project",
        "worker",
        "--pool=solo",
        "--loglevel=info",
        "--without-gossip",
        "--without-mingle",
        "-Q",
        queue or settings.CELERY_TASK_DEFAULT_QUEUE,
        "-n",
        f"test-{os.getpid()}@%h",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = WorkerProcess(process=process, log_path=log_path)
    if not wait_until(lambda: "ready." in worker.log() or process.poll() is not None, timeout=30):
        stop_worker(worker)
        pytest.fail(f"The Celery worker did not start:\n{worker.log()}")
    if process.poll() is not None:
        pytest.fail(f"The Celery worker exited at start:\n{worker.log()}")
    return worker


def stop_worker(worker: WorkerProcess, sig: int = signal.SIGTERM) -> None:
    if worker.process.poll() is None:
        worker.process.send_signal(sig)
        try:
            worker.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def database_url() -> str:
    """The PostgreSQL test database's URL, for processes started by a test (worker, gunicorn)."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}"
    )


def worker_environment(sink: SmtpSink) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.test",
        "DATABASE_URL": database_url(),
        "TEST_CELERY_EAGER": "false",
        "TEST_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def live_services(django_db_setup) -> None:
    """Fail in CI (skip elsewhere) unless the tests run on PostgreSQL with a reachable Redis broker."""
    require_service(connection.vendor == "postgresql", "integration tests need DATABASE_URL for PostgreSQL")
    require_service(redis_available(), "integration tests need REDIS_URL with a reachable Redis")


@pytest.fixture
def broker_queue(live_services) -> Iterator[None]:
    """Send tasks through the real broker instead of running them in-process, with an empty private queue."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(broker_queue, smtp_sink, tmp_path) -> Iterator[WorkerProcess]:
    """A real `celery worker` process consuming this test run's queue, delivering mail to `smtp_sink`."""
    smtp_sink.clear()
    worker = start_worker(worker_environment(smtp_sink), tmp_path / "worker.log")
    yield worker
    stop_worker(worker)
