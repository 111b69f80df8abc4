"""Faults for real in the deploy chain (tests/tls_chain.py: production settings, gunicorn, a Celery worker;
no beat, see TlsChain.start): the chain's own redis-server stopped and started again, the SMTP server down, the
worker killed with SIGKILL while it holds a delivery. The site keeps answering, every appointment request is kept,
and each email arrives once.

The chain's Redis keeps nothing on disk, so after a restart its queue is empty: only the outbox sweep (beat's task,
sent here through the broker rather than waiting for beat's minute) can deliver what was left pending.
"""

import asyncio
import signal
import threading
import time

import pytest

from booking.models import AppointmentRequest
from site_project.outbox.models import Email
from tests.integration import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VISITOR = "ana@example.org"
SWEEP = "site_project.outbox.tasks.sweep_outbox"


def delivered_to(sink) -> list[str]:
    return sorted(recipient for _, recipients in sink.envelopes for recipient in recipients)


def settle(sink, expected: int) -> None:
    """Wait for `expected` messages, then long enough for a duplicate to show up."""
    sink.wait_for(expected, timeout=90)
    time.sleep(3)


def all_sent() -> bool:
    return Email.objects.exists() and not Email.objects.exclude(status=Email.Status.SENT).exists()


def sweep_until_sent(chain, timeout: float = 60) -> bool:
    """Run the outbox sweep, as beat does every minute, until every stored email is sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chain.run_task(SWEEP)
        if wait_until(all_sent, timeout=5):
            return True
    return all_sent()


def test_health_answers_503_naming_redis_while_it_is_stopped_and_200_once_it_is_back(tls_chain):
    client = tls_chain.client()
    assert client.get(tls_chain.url("/health/")).status_code == 200

    tls_chain.redis.stop()
    try:
        response = client.get(tls_chain.url("/health/"))
    finally:
        tls_chain.redis.start()

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "redis": "down"}
    recovered = client.get(tls_chain.url("/health/"))
    assert recovered.status_code == 200 and recovered.json()["checks"]["redis"] == "ok"


def test_pages_search_and_the_contact_form_are_served_while_redis_is_stopped(tls_chain):
    client = tls_chain.client()
    # New query strings: nginx's micro-cache holds none of these, so Django answers each one.
    paths = ["/?fresh=1", "/blog/?fresh=1", "/about/?fresh=1", "/search/?query=anxiety", "/contact/"]

    tls_chain.redis.stop()
    try:
        statuses = {path: client.get(tls_chain.url(path)).status_code for path in paths}
    finally:
        tls_chain.redis.start()

    assert statuses == dict.fromkeys(paths, 200), tls_chain.log("gunicorn")[-3000:]


def test_a_request_sent_while_redis_is_stopped_is_kept_and_mailed_once_when_redis_returns(
    tls_chain, smtp_sink
):
    client = tls_chain.client()
    data, fetched_at = tls_chain.contact_form(client, email_address=VISITOR)

    tls_chain.redis.stop()
    try:
        response = tls_chain.post_contact_form(client, data, fetched_at)
        assert response.status_code == 200 and response.url == tls_chain.url("/contact/thanks/")
        assert "not yet confirmed" in response.text
        assert AppointmentRequest.objects.get().email == VISITOR
        assert list(Email.objects.values_list("status", flat=True)) == ["pending", "pending"]
        time.sleep(1)
        assert smtp_sink.messages == []
    finally:
        tls_chain.redis.start()

    assert sweep_until_sent(tls_chain), tls_chain.log("worker")[-3000:]
    settle(smtp_sink, 2)
    assert len(smtp_sink.messages) == 2
    assert VISITOR in delivered_to(smtp_sink) and len(set(delivered_to(smtp_sink))) == 2
    tls_chain.run_task(SWEEP)  # a later sweep finds nothing left to send
    time.sleep(3)
    assert len(smtp_sink.messages) == 2
    web_log = tls_chain.log("gunicorn")
    assert "Could not enqueue outbox email" in web_log
    assert VISITOR not in web_log and "Ana Lima" not in web_log


def test_the_rate_limit_still_holds_back_a_flood_while_redis_is_stopped(tls_chain):
    """The rule (booking/spam.py): while Redis is down each web process counts in its own memory, so an address
    gets at most the limit (5) per gunicorn worker (the chain runs 2) before it is refused with a 429."""
    client = tls_chain.client()
    data, _ = tls_chain.contact_form(client, website="https://spam.example")  # the honeypot: never stored
    headers = {"X-Forwarded-For": "198.51.100.77", "Referer": tls_chain.url("/contact/")}

    tls_chain.redis.stop()
    try:
        statuses = [
            client.post(
                tls_chain.url("/contact/"), data=data, headers=headers, allow_redirects=False
            ).status_code
            for _ in range(12)
        ]
        another_visitor = client.get(tls_chain.url("/contact/"), headers={"X-Forwarded-For": "198.51.100.78"})
    finally:
        tls_chain.redis.start()

    assert 429 not in statuses[:5], statuses
    assert statuses.count(429) >= 12 - 5 * tls_chain.gunicorn_workers, statuses
    assert another_visitor.status_code == 200
    assert AppointmentRequest.objects.count() == 0


def test_a_request_sent_while_the_smtp_server_is_down_is_mailed_once_when_it_returns(tls_chain, smtp_sink):
    client = tls_chain.client()
    data, fetched_at = tls_chain.contact_form(client, email_address=VISITOR)

    smtp_sink.stop()
    try:
        response = tls_chain.post_contact_form(client, data, fetched_at)
        assert response.status_code == 200 and response.url == tls_chain.url("/contact/thanks/")
        assert wait_until(
            lambda: Email.objects.filter(attempts__gte=1, last_error="ConnectionRefusedError").count() == 2,
            timeout=30,
        ), tls_chain.log("worker")[-3000:]
        assert not Email.objects.filter(status=Email.Status.SENT).exists()
    finally:
        smtp_sink.start()

    assert wait_until(all_sent, timeout=60), tls_chain.log("worker")[-3000:]
    settle(smtp_sink, 2)
    assert len(smtp_sink.messages) == 2 and VISITOR in delivered_to(smtp_sink)
    assert all(attempts >= 2 for attempts in Email.objects.values_list("attempts", flat=True))


def test_a_worker_killed_while_holding_a_delivery_loses_no_mail_and_sends_it_once(tls_chain, smtp_sink):
    hold = threading.Event()
    hold.set()

    async def stalled_rcpt(server, session, envelope, address, rcpt_options):
        # The SMTP conversation stalls before DATA: the worker holds the task, and dies before delivering.
        while hold.is_set():
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_sink.handle_RCPT = stalled_rcpt
    try:
        client = tls_chain.client()
        data, fetched_at = tls_chain.contact_form(client, email_address=VISITOR)
        tls_chain.post_contact_form(client, data, fetched_at)
        assert wait_until(lambda: Email.objects.filter(status=Email.Status.SENDING).exists(), timeout=30)

        tls_chain.kill("worker", signal.SIGKILL)
    finally:
        hold.clear()
        del smtp_sink.handle_RCPT
    time.sleep(1)
    assert smtp_sink.messages == []
    held = Email.objects.get(status=Email.Status.SENDING)

    # A new worker starts; the message the dead one held stays unacknowledged in Redis (for the visibility
    # timeout), so it is the sweep that releases the row once it has been "sending" too long, and sends it.
    tls_chain.start_worker()
    assert sweep_until_sent(tls_chain, timeout=90), tls_chain.log("worker")[-3000:]
    settle(smtp_sink, 2)
    assert len(smtp_sink.messages) == 2 and VISITOR in delivered_to(smtp_sink)
    held.refresh_from_db()
    assert held.status == Email.Status.SENT and held.attempts == 2
