"""Every kind of email leaves through the outbox and a real worker (integration: PostgreSQL, Redis, SMTP sink).

Booking's appointment mail is covered end to end in tests/test_booking_integration.py; here are Wagtail's
workflow notification and Django's password reset, and a password reset asked for while the broker is down: a
redis-server of the test's own is stopped for real, the reset is stored, and once the server is back the sweep
delivers it exactly once.
"""

import subprocess
import sys
import time
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from site_project.accounts.groups import COUNSELOR, EDITORS
from site_project.outbox.models import Email
from tests.blog_factories import make_post
from tests.factories import make_home_page
from tests.integration import PROJECT_DIR, start_worker, stop_worker, wait_until, worker_environment
from tests.outbox_factories import store
from tests.redis_server import RedisServer
from tests.services import require_service

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OUTBOX_BACKEND = "site_project.outbox.backend.OutboxEmailBackend"
STAFF_ADDRESS = "counselor@practice.example"
SWEEP = "site_project.outbox.tasks.sweep_outbox"


@pytest.fixture
def home_page(live_services, transactional_db):
    return make_home_page()


@pytest.fixture
def outbox_backend(settings):
    """pytest-django swaps EMAIL_BACKEND for locmem in this process; the site's own backend is wanted here."""
    settings.EMAIL_BACKEND = OUTBOX_BACKEND


def make_staff(username: str, group: str | None = None):
    user = get_user_model().objects.create_user(
        username, f"{username}@practice.example", "a-long-test-password", is_staff=True
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def text_of(message) -> str:
    return "\n".join(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if part.get_content_type() in {"text/plain", "text/html"}
    )


def settle(sink, expected: int, seconds: float = 2.0) -> list:
    """Wait for `expected` deliveries, then a little longer, so a duplicate would have time to show up."""
    sink.wait_for(expected, timeout=60)
    time.sleep(seconds)
    return list(sink.messages)


def all_sent() -> bool:
    return Email.objects.exists() and not Email.objects.exclude(status=Email.Status.SENT).exists()


def test_a_workflow_notification_reaches_the_reviewer_through_the_outbox_and_the_worker(
    blog_index, outbox_backend, celery_worker, smtp_sink
):
    editor = make_staff("editor", EDITORS)
    make_staff("counselor", COUNSELOR)
    post = make_post(blog_index, live=False, title="Please review this post")

    post.get_workflow().start(post, editor)

    (message,) = settle(smtp_sink, 1)
    assert message["To"] == STAFF_ADDRESS, celery_worker.log()
    assert "Please review this post" in str(make_header(decode_header(message["Subject"])))
    assert f"/admin/pages/{post.pk}/" in text_of(message)
    assert wait_until(all_sent, timeout=10)


def test_a_password_reset_reaches_the_user_through_the_outbox_and_the_worker(
    client, home_page, outbox_backend, celery_worker, smtp_sink
):
    make_staff("counselor")

    response = client.post("/admin/password_reset/", {"email": STAFF_ADDRESS})

    assert response.status_code == 302
    (message,) = settle(smtp_sink, 1)
    assert message["To"] == STAFF_ADDRESS, celery_worker.log()
    assert "/admin/password_reset/confirm/" in text_of(message)
    assert wait_until(all_sent, timeout=10)


RESET_IN_ANOTHER_PROCESS = f"""
from django.test import Client
response = Client().post("/admin/password_reset/", {{"email": "{STAFF_ADDRESS}"}})
print(response.status_code)
"""


def run_django(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A web process of its own (the test settings, the site's EMAIL_BACKEND) running `code`."""
    setup = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def celery_call(task: str, env: dict[str, str]) -> None:
    command = [str(Path(sys.executable).parent / "celery"), "-A", "site_project", "call", task]
    subprocess.run(command, cwd=PROJECT_DIR, env=env, check=True, capture_output=True, timeout=60)


def test_a_password_reset_asked_while_the_broker_is_down_is_stored_and_delivered_once_when_it_is_back(
    home_page, live_services, smtp_sink, tmp_path
):
    require_service(RedisServer.binary() is not None, "this test starts its own redis-server")
    make_staff("counselor")
    smtp_sink.clear()
    broker = RedisServer(tmp_path / "redis")
    env = {
        **worker_environment(smtp_sink),
        "REDIS_URL": broker.url(),
        "OUTBOX_RESEND_AFTER_SECONDS": "0",
    }
    worker = None
    try:
        broker.start()
        broker.stop()

        web = run_django(RESET_IN_ANOTHER_PROCESS, env)
        assert web.returncode == 0, web.stderr[-3000:]
        assert web.stdout.split() == ["302"]
        email = Email.objects.get()
        assert (email.to, email.status) == ([STAFF_ADDRESS], Email.Status.PENDING)
        assert "Could not enqueue outbox email" in web.stderr
        assert STAFF_ADDRESS not in web.stderr

        broker.start()
        worker = start_worker(env, tmp_path / "worker.log")
        time.sleep(1)
        assert smtp_sink.messages == [], "nothing was queued while the broker was down"

        # Beat's sweep, sent through the broker as beat sends it; a second run must not send again.
        celery_call(SWEEP, env)
        (message,) = settle(smtp_sink, 1)
        assert message["To"] == STAFF_ADDRESS, worker.log()
        assert "/admin/password_reset/confirm/" in text_of(message)
        celery_call(SWEEP, env)
        time.sleep(3)
        assert len(smtp_sink.messages) == 1
        assert wait_until(lambda: Email.objects.get(pk=email.pk).status == Email.Status.SENT, timeout=10)
        assert Email.objects.get(pk=email.pk).attempts == 1
    finally:
        if worker is not None:
            stop_worker(worker)
        broker.stop()


SWEEP_IN_ANOTHER_PROCESS = """
from site_project.outbox.tasks import sweep_outbox
print(sweep_outbox())
"""


def test_the_sweep_stops_at_the_first_broker_failure_and_leaves_the_rows_pending(
    live_services, smtp_sink, tmp_path
):
    require_service(RedisServer.binary() is not None, "this test starts its own redis-server")
    smtp_sink.clear()
    store()
    store()
    Email.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))
    broker = RedisServer(tmp_path / "redis")
    broker.start()
    broker.stop()
    # The broker's address carries a password, which no log line may repeat.
    broker_url = broker.url().replace("redis://", "redis://:secret@")
    env = {**worker_environment(smtp_sink), "REDIS_URL": broker_url, "OUTBOX_RESEND_AFTER_SECONDS": "0"}

    sweep = run_django(SWEEP_IN_ANOTHER_PROCESS, env)

    assert sweep.returncode == 0, sweep.stderr[-3000:]
    assert sweep.stdout.split() == ["0"]
    assert sweep.stderr.count("Could not enqueue outbox email") == 1, "the sweep stops at the first failure"
    assert "secret" not in sweep.stderr
    assert set(Email.objects.values_list("status", flat=True)) == {"pending"}
    assert smtp_sink.messages == []
