"""Appointment mail end to end: a real Celery worker on Redis, PostgreSQL, and an aiosmtpd sink (integration).

The database is flushed between these tests and restored to what the migrations made (tests/conftest.py).
Each fault is injected for real where it can be (SMTP refusals, a worker killed mid-delivery, a task delivered
twice) and by a failing `delay` where the broker itself would have to go down; every test ends with exactly one
delivery per email.
"""

import asyncio
import signal
import threading
import time
from datetime import timedelta
from email.message import Message

import pytest
from django.core.cache import cache
from django.utils import timezone

from booking.emails import outbox_key
from booking.models import AppointmentRequest
from booking.services import RequestData, submit_appointment_request
from home.models import PracticeSettings
from site_project.outbox.models import Email
from site_project.outbox.tasks import deliver_email, sweep_outbox
from tests.booking_factories import contact_post, make_contact_page, make_office_hours
from tests.factories import make_home_page
from tests.integration import start_worker, stop_worker, wait_until, worker_environment

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MESSAGE = "Private words that must never be emailed"
VISITOR = "ana@example.org"
COUNSELOR = "counselor@practice.example"
BOTH = sorted([VISITOR, COUNSELOR])


@pytest.fixture
def home_page(live_services, transactional_db):
    return make_home_page()


@pytest.fixture
def contact_page(live_services, home_page, site):
    cache.clear()
    practice = PracticeSettings.for_site(site)
    practice.practice_name = "Willow Test Counseling"
    practice.email = "hello@practice.example"
    practice.save()
    make_office_hours()
    return make_contact_page(home_page, notification_email=COUNSELOR)


def text_parts(message: Message) -> str:
    return "\n".join(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if part.get_content_type() in {"text/plain", "text/html"}
    )


def recipients(sink) -> list[str]:
    return sorted(rcpt for _, rcpts in sink.envelopes for rcpt in rcpts)


def all_sent() -> bool:
    return Email.objects.exists() and not Email.objects.exclude(status="sent").exists()


def settle(sink, expected: int, seconds: float = 2.0) -> None:
    """Wait for `expected` deliveries, then a little longer, so a duplicate would have time to show up."""
    sink.wait_for(expected, timeout=60)
    time.sleep(seconds)


def test_submitter_gets_one_confirmation_without_their_message_and_counselor_one_notification(
    client, contact_page, celery_worker, smtp_sink
):
    response = client.post(contact_page.url, contact_post(short_message=MESSAGE))
    assert response.status_code == 302

    settle(smtp_sink, 2)
    assert recipients(smtp_sink) == BOTH, celery_worker.log()
    by_recipient = {message["To"]: message for message in smtp_sink.messages}
    confirmation, notification = by_recipient[VISITOR], by_recipient[COUNSELOR]
    assert confirmation["Subject"] == "We received your request, Ana"
    assert confirmation["Reply-To"] == "hello@practice.example"
    assert "not yet confirmed" in text_parts(confirmation)
    assert MESSAGE not in text_parts(confirmation)
    assert confirmation.is_multipart()
    assert {part.get_content_type() for part in confirmation.walk()} >= {"text/plain", "text/html"}
    request = AppointmentRequest.objects.get()
    assert f"http://testserver/admin/appointment-requests/inspect/{request.pk}/" in text_parts(notification)
    assert MESSAGE not in text_parts(notification)
    assert notification["Reply-To"] == VISITOR
    assert VISITOR not in notification["From"]
    assert all_sent()


def test_smtp_refusals_are_retried_until_each_email_is_delivered_once(contact_page, celery_worker, smtp_sink):
    smtp_sink.fail_next = 3
    submit_appointment_request(page=contact_page, data=RequestData(name="Ana Lima", email=VISITOR))

    assert wait_until(all_sent, timeout=90), celery_worker.log()
    settle(smtp_sink, 2)
    assert smtp_sink.refused == 3
    assert recipients(smtp_sink) == BOTH
    assert sum(Email.objects.values_list("attempts", flat=True)) == 5
    assert set(Email.objects.values_list("last_error", flat=True)) == {""}


def test_a_task_delivered_twice_sends_one_email(contact_page, celery_worker, smtp_sink):
    request = submit_appointment_request(page=contact_page, data=RequestData(name="Ana Lima", email=VISITOR))
    confirmation = Email.objects.get(key=outbox_key(request.pk, "confirmation"))
    deliver_email.delay(confirmation.pk)
    deliver_email.delay(confirmation.pk)

    assert wait_until(
        lambda: celery_worker.log().count("is not pending; nothing to send") >= 2, timeout=30
    ), celery_worker.log()
    settle(smtp_sink, 2, seconds=1)
    assert recipients(smtp_sink) == BOTH


def test_a_worker_killed_mid_delivery_loses_no_mail_and_sends_it_once(
    contact_page, celery_worker, smtp_sink, settings, tmp_path
):
    hold = threading.Event()
    hold.set()

    async def slow_rcpt(server, session, envelope, address, rcpt_options):
        # The SMTP conversation stalls before DATA, so a killed worker never completes a delivery.
        while hold.is_set():
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_sink.handle_RCPT = slow_rcpt
    replacement = None
    try:
        request = submit_appointment_request(
            page=contact_page, data=RequestData(name="Ana Lima", email=VISITOR)
        )
        confirmation = Email.objects.get(key=outbox_key(request.pk, "confirmation"))
        assert wait_until(
            lambda: Email.objects.filter(pk=confirmation.pk, status="sending").exists(), timeout=30
        ), celery_worker.log()

        celery_worker.process.send_signal(signal.SIGKILL)
        celery_worker.process.wait(timeout=10)
        hold.clear()
        del smtp_sink.handle_RCPT
        time.sleep(0.5)
        assert smtp_sink.messages == []
        assert Email.objects.get(pk=confirmation.pk).status == "sending"

        # A new worker starts; the sweep releases the confirmation its predecessor died holding (and the
        # notification, if the dead worker had already reserved that message too), and the new worker sends them.
        replacement = start_worker(worker_environment(smtp_sink), tmp_path / "replacement.log")
        settings.OUTBOX_STALE_SENDING_SECONDS = 5
        settings.OUTBOX_RESEND_AFTER_SECONDS = 0
        assert wait_until(
            lambda: Email.objects.get(pk=confirmation.pk).claimed_at < timezone.now() - timedelta(seconds=6),
            timeout=30,
        )
        assert sweep_outbox() >= 1
        assert wait_until(all_sent, timeout=30), replacement.log()
        settle(smtp_sink, 2)
        assert recipients(smtp_sink) == BOTH
        assert Email.objects.get(pk=confirmation.pk).attempts == 2
    finally:
        hold.clear()
        if "handle_RCPT" in vars(smtp_sink):
            del smtp_sink.handle_RCPT
        if replacement is not None:
            stop_worker(replacement)
