"""A real worker on Redis logs with the request id of the web request that enqueued the task, and a failed
task's log lines hold its name, id and exception class, never its arguments (integration: PostgreSQL + Redis)."""

import json

import pytest
from django.core.mail import EmailMultiAlternatives

from site_project.outbox import services as outbox
from site_project.outbox.tasks import deliver_email
from site_project.request_id import current_request_id
from tests.integration import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECRET_ADDRESS = "secret@example.com"


def worker_entries(worker) -> list[dict]:
    found = []
    for line in worker.log().splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


def test_worker_logs_carry_the_request_id_of_the_enqueuing_request(celery_worker, smtp_sink):
    message = EmailMultiAlternatives(subject="Request id check", body="plain", to=["someone@example.com"])
    token = current_request_id.set("req-web-integration-1")
    try:
        email = outbox.send(message)
    finally:
        current_request_id.reset(token)

    smtp_sink.wait_for(1, timeout=20)
    sent_line = f"Outbox email {email.pk} sent"
    assert wait_until(
        lambda: any(e["message"] == sent_line for e in worker_entries(celery_worker)),
        timeout=10,
    ), celery_worker.log()
    (delivered,) = [e for e in worker_entries(celery_worker) if e["message"] == sent_line]
    assert delivered["request_id"] == "req-web-integration-1"


def test_worker_logs_a_failed_task_without_its_arguments(celery_worker):
    token = current_request_id.set("req-web-integration-2")
    try:
        result = deliver_email.delay(f"{SECRET_ADDRESS}: I feel anxious")
    finally:
        current_request_id.reset(token)

    def failure_logged() -> list[dict]:
        return [
            e
            for e in worker_entries(celery_worker)
            if e["logger"] == "celery.app.trace" and e["level"] == "ERROR"
        ]

    assert wait_until(lambda: bool(failure_logged()), timeout=20), celery_worker.log()
    (failure,) = failure_logged()
    assert failure["task_id"] == result.id
    assert failure["task_name"] == "site_project.outbox.tasks.deliver_email"
    assert failure["request_id"] == "req-web-integration-2"
    assert failure["exception"] == "ValueError"
    assert SECRET_ADDRESS not in celery_worker.log()
    assert "anxious" not in celery_worker.log()
