"""A task crosses the real Redis broker and a real worker process runs it (integration: PostgreSQL + Redis)."""

import pytest
from django.core.mail import EmailMultiAlternatives

from home.mail import message_to_dict
from home.tasks import deliver_email

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_process_delivers_an_email_sent_through_the_redis_broker(celery_worker, smtp_sink):
    message = EmailMultiAlternatives(
        subject="Broker check", body="plain", from_email="site@example.com", to=["someone@example.com"]
    )
    message.attach_alternative("<p>html</p>", "text/html")

    deliver_email.delay(message_to_dict(message))

    received = smtp_sink.wait_for(1, timeout=20)
    assert [m["Subject"] for m in received] == ["Broker check"], celery_worker.log()
    assert smtp_sink.envelopes == [("site@example.com", ["someone@example.com"])]


def test_smtp_refusal_is_retried_by_the_worker_until_delivered_once(celery_worker, smtp_sink, settings):
    smtp_sink.fail_next = 1
    message = EmailMultiAlternatives(subject="Retry check", body="plain", to=["someone@example.com"])

    deliver_email.apply_async(args=[message_to_dict(message)])

    received = smtp_sink.wait_for(1, timeout=90)
    assert smtp_sink.refused == 1
    assert [m["Subject"] for m in received] == ["Retry check"], celery_worker.log()
