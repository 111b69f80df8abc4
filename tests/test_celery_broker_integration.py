"""A task crosses the real Redis broker and a real worker process runs it (integration: PostgreSQL + Redis)."""

import pytest
from django.core.mail import EmailMultiAlternatives

from site_project.outbox import services as outbox
from site_project.outbox.models import Email
from tests.integration import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_process_delivers_an_email_sent_through_the_redis_broker(celery_worker, smtp_sink):
    message = EmailMultiAlternatives(
        subject="Broker check", body="plain", from_email="site@example.com", to=["someone@example.com"]
    )
    message.attach_alternative("<p>html</p>", "text/html")

    email = outbox.send(message)

    received = smtp_sink.wait_for(1, timeout=20)
    assert [m["Subject"] for m in received] == ["Broker check"], celery_worker.log()
    assert smtp_sink.envelopes == [("site@example.com", ["someone@example.com"])]
    assert wait_until(lambda: Email.objects.get(pk=email.pk).status == "sent", timeout=10)


def test_smtp_refusal_is_retried_by_the_worker_until_delivered_once(celery_worker, smtp_sink):
    smtp_sink.fail_next = 1
    message = EmailMultiAlternatives(subject="Retry check", body="plain", to=["someone@example.com"])

    email = outbox.send(message)

    received = smtp_sink.wait_for(1, timeout=90)
    assert smtp_sink.refused == 1
    assert [m["Subject"] for m in received] == ["Retry check"], celery_worker.log()
    assert wait_until(lambda: Email.objects.get(pk=email.pk).status == "sent", timeout=10)
    assert Email.objects.get(pk=email.pk).attempts == 2
