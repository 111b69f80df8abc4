"""Nothing lost, nothing twice: a new post reaches each confirmed subscriber exactly once (integration: PostgreSQL,
Redis, a real `celery worker` process and the SMTP sink of tests/integration.py).

The post is published in the test process, as an editor's publish in a web process would: Wagtail's
page_published starts the mailing, whose batches the worker hands to the outbox, SUBSCRIPTION_BATCH_SIZE (100
here, so the mailing takes ten batches) at a time. The faults are real: the worker is killed with SIGKILL in the
middle of the mailing, once while it stores a batch and once while it holds a delivery, and the sink answers 451
for a few seconds. Beat's recovery tasks (the outbox sweep and the resumption of stalled mailings) are sent
through the broker, as beat sends them, to the worker, which reads the shortened timings below from its
environment. Where each kill lands is made certain by holding the worker there (a row lock, a stalled SMTP
conversation), never by patching the code under test."""

import asyncio
import os
import signal
import threading
import time
from collections import Counter
from email.header import decode_header, make_header

import pytest
from django.db import connection, transaction
from django.utils import timezone

from blog.models import PostAnnouncement, PostMailing, Subscriber
from blog.subscriptions.keys import mailing_key
from site_project.celery import app as celery_app
from site_project.outbox.models import Email
from tests.blog_factories import make_post
from tests.factories import publish
from tests.integration import start_worker, stop_worker, wait_until, worker_environment

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONFIRMED = 1000
UNCONFIRMED = 5
BATCH_SIZE = 100
SWEEP = "site_project.outbox.tasks.sweep_outbox"
RESUME_MAILINGS = "blog.tasks.resume_mailings"
WORKER_SETTINGS = {
    "SUBSCRIPTION_BATCH_SIZE": str(BATCH_SIZE),
    # A refused delivery is tried again after 1 s, then every 2 s: well within OUTBOX_MAX_ATTEMPTS (9) while
    # the sink refuses for REFUSING_SECONDS.
    "OUTBOX_RETRY_BACKOFF_SECONDS": "1",
    "OUTBOX_RETRY_MAX_BACKOFF_SECONDS": "2",
    # A row 'sending' for 5 s belongs to a dead worker (a delivery to the sink takes milliseconds), and the sweep
    # re-enqueues every pending row at once.
    "OUTBOX_STALE_SENDING_SECONDS": "5",
    "OUTBOX_RESEND_AFTER_SECONDS": "0",
    # A mailing whose batches have not moved for 5 s is resumed by the next resume_mailings.
    "SUBSCRIPTION_STALLED_AFTER_SECONDS": "5",
}
REFUSING_SECONDS = 5
MAILING_TIMEOUT = 240
# The database is polled gently: the worker, PostgreSQL and this process share the machine's cores.
POLL_SECONDS = 0.5


@pytest.fixture
def start_mailing_worker(broker_queue, smtp_sink, tmp_path):
    """Starts `celery worker` processes with WORKER_SETTINGS, delivering to a cleared sink; whichever are still
    running at the end are stopped."""
    smtp_sink.clear()
    started = []

    def start():
        environment = {**worker_environment(smtp_sink), **WORKER_SETTINGS}
        worker = start_worker(environment, tmp_path / f"worker-{len(started) + 1}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        stop_worker(worker)


@pytest.fixture
def readers(live_services, settings) -> dict[str, str]:
    """CONFIRMED confirmed subscribers (address -> unsubscribe token) and UNCONFIRMED who never confirmed."""
    settings.SUBSCRIPTION_BATCH_SIZE = BATCH_SIZE
    confirmed_at = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"reader-{number}@example.org", confirmed_at=confirmed_at)
            for number in range(CONFIRMED)
        ]
        + [Subscriber(email=f"unconfirmed-{number}@example.org") for number in range(UNCONFIRMED)]
    )
    return dict(Subscriber.objects.filter(confirmed_at__isnull=False).values_list("email", "token"))


def the_mailing() -> PostMailing:
    return PostAnnouncement.objects.select_related("mailing").get().mailing


def mailing_rows(mailing: PostMailing):
    subscriber_ids = Subscriber.objects.values_list("pk", flat=True)
    return Email.objects.filter(key__in=[mailing_key(pk, mailing.pk) for pk in subscriber_ids])


def mailing_delivered() -> bool:
    """The mailing has queued its last batch and the outbox has sent a message to every confirmed reader."""
    announcement = PostAnnouncement.objects.select_related("mailing").first()
    if announcement is None or announcement.mailing is None or announcement.mailing.finished_at is None:
        return False
    return mailing_rows(announcement.mailing).filter(status=Email.Status.SENT).count() == CONFIRMED


def settle(sink, seconds: float = 3.0) -> None:
    """Wait for the whole mailing in the sink, then long enough for a duplicate to show up."""
    sink.wait_for(CONFIRMED, timeout=MAILING_TIMEOUT)
    time.sleep(seconds)


def header(message, name: str) -> str:
    """A header's decoded value, unfolded."""
    return " ".join(str(make_header(decode_header(message[name]))).split())


def assert_each_reader_got_the_post_once(sink, readers: dict[str, str], title: str) -> None:
    recipients = [address for _, addresses in sink.envelopes for address in addresses]
    duplicates = [address for address, times in Counter(recipients).items() if times > 1]
    assert duplicates == [], f"{len(duplicates)} readers got the post more than once"
    assert sorted(recipients) == sorted(readers), "every confirmed reader, and nobody else"
    assert len(sink.messages) == CONFIRMED
    assert len({message["Message-ID"] for message in sink.messages}) == CONFIRMED
    for message in sink.messages:
        reader = message["To"]
        assert reader in readers
        assert title in header(message, "Subject")
        # RFC 8058 one-click unsubscribe, naming this reader (their token) and no other.
        unsubscribe = header(message, "List-Unsubscribe")
        assert unsubscribe.startswith("<http") and readers[reader] in unsubscribe
        assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"


def assert_the_mailing_is_complete(mailing_rows_query) -> None:
    statuses = Counter(mailing_rows_query.values_list("status", flat=True))
    assert statuses == {Email.Status.SENT: CONFIRMED}
    assert PostMailing.objects.count() == 1 and PostAnnouncement.objects.count() == 1


def test_a_new_post_reaches_each_confirmed_reader_once_and_publishing_it_again_sends_nothing(
    blog_index, readers, start_mailing_worker, smtp_sink
):
    worker = start_mailing_worker()

    post = make_post(blog_index, title="Sleep when worry will not switch off")

    assert wait_until(mailing_delivered, MAILING_TIMEOUT, POLL_SECONDS), worker.log()[-3000:]
    settle(smtp_sink)
    assert_each_reader_got_the_post_once(smtp_sink, readers, post.title)
    mailing = the_mailing()
    assert mailing.recipients == CONFIRMED
    assert_the_mailing_is_complete(mailing_rows(mailing))

    post.title = "Sleep when worry will not switch off (revised)"
    publish(post)

    time.sleep(5)
    assert len(smtp_sink.messages) == CONFIRMED, worker.log()[-3000:]
    assert_the_mailing_is_complete(mailing_rows(mailing))


def kill(worker) -> None:
    """SIGKILL to the worker's whole process group: no warm shutdown, no task handed back to the broker."""
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=10)


def recover_as_beat_would(worker) -> None:
    """Send beat's recovery tasks through the broker, as beat does every minute (here every 10 s), until every
    confirmed reader's message is sent: the sweep releases a row a dead worker left 'sending' and re-enqueues
    pending rows; resume_mailings restarts a mailing whose chain of batches broke."""
    deadline = time.monotonic() + MAILING_TIMEOUT
    while not mailing_delivered() and time.monotonic() < deadline:
        celery_app.send_task(RESUME_MAILINGS)
        celery_app.send_task(SWEEP)
        wait_until(mailing_delivered, 10, POLL_SECONDS)
    assert mailing_delivered(), worker.log()[-3000:]


def workers_waiting_for_me() -> int:
    """Database sessions blocked by a lock this session holds (pg_stat_activity is read afresh: within a
    transaction PostgreSQL otherwise answers from the snapshot it took at the first look)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_while_storing_a_batch_loses_no_reader_and_mails_none_twice(
    blog_index, readers, start_mailing_worker, smtp_sink
):
    worker = start_mailing_worker()
    post = make_post(blog_index, title="Grief in the first winter")
    mailing = the_mailing()
    assert wait_until(lambda: len(smtp_sink.messages) >= 2 * BATCH_SIZE, timeout=MAILING_TIMEOUT), (
        worker.log()
    )

    # Holding the mailing's row lock stops the worker inside its next batch (send_batch locks the row first);
    # it is killed there, with the batch's transaction open and its task not acknowledged.
    with transaction.atomic():
        PostMailing.objects.select_for_update().get(pk=mailing.pk)
        assert wait_until(workers_waiting_for_me, 60, POLL_SECONDS), worker.log()[-3000:]
        kill(worker)
    delivered_before_the_kill = len(smtp_sink.messages)
    assert 2 * BATCH_SIZE <= delivered_before_the_kill < CONFIRMED
    mailing.refresh_from_db()
    assert mailing.finished_at is None and mailing_rows(mailing).count() < CONFIRMED

    # The killed batch's task stays unacknowledged in Redis for the visibility timeout (an hour): only
    # resume_mailings, once the mailing has not moved for SUBSCRIPTION_STALLED_AFTER_SECONDS, can restart the chain.
    recover_as_beat_would(start_mailing_worker())
    settle(smtp_sink)
    assert_each_reader_got_the_post_once(smtp_sink, readers, post.title)
    assert_the_mailing_is_complete(mailing_rows(mailing))


def test_a_worker_killed_while_holding_a_delivery_loses_no_reader_and_mails_none_twice(
    blog_index, readers, start_mailing_worker, smtp_sink
):
    worker = start_mailing_worker()
    hold = threading.Event()
    stalled = threading.Event()

    async def stalled_rcpt(server, session, envelope, address, rcpt_options):
        # The worker's SMTP conversation stops before DATA: it is killed holding a delivery it never made, so
        # the kill cannot fall between the sink's acceptance and the outbox recording it.
        stalled.set()
        while hold.is_set():
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    post = make_post(blog_index, title="Grief in the first winter")
    assert wait_until(lambda: len(smtp_sink.messages) >= 2 * BATCH_SIZE, timeout=MAILING_TIMEOUT), (
        worker.log()
    )
    hold.set()
    smtp_sink.handle_RCPT = stalled_rcpt
    try:
        assert stalled.wait(timeout=30), worker.log()[-3000:]
        kill(worker)
    finally:
        hold.clear()
        del smtp_sink.handle_RCPT
    delivered_before_the_kill = len(smtp_sink.messages)
    assert 2 * BATCH_SIZE <= delivered_before_the_kill < CONFIRMED
    assert Email.objects.filter(status=Email.Status.SENDING).count() == 1

    # The message the dead worker held stays unacknowledged in Redis (for the visibility timeout); the sweep
    # releases its row once it has been 'sending' for 5 s, and the new worker sends it.
    recover_as_beat_would(start_mailing_worker())
    settle(smtp_sink)
    assert_each_reader_got_the_post_once(smtp_sink, readers, post.title)
    assert_the_mailing_is_complete(mailing_rows(the_mailing()))


def test_smtp_refusing_for_a_while_delays_the_mailing_but_each_reader_gets_the_post_once(
    blog_index, readers, start_mailing_worker, smtp_sink
):
    worker = start_mailing_worker()
    with smtp_sink.lock:
        smtp_sink.fail_next = 10 * CONFIRMED  # every delivery is refused until the sink recovers

    post = make_post(blog_index, title="Boundaries at work")
    assert wait_until(lambda: smtp_sink.refused > 0, timeout=60), worker.log()[-3000:]
    time.sleep(REFUSING_SECONDS)
    with smtp_sink.lock:
        smtp_sink.fail_next = 0

    assert wait_until(mailing_delivered, MAILING_TIMEOUT, POLL_SECONDS), worker.log()[-3000:]
    settle(smtp_sink)
    assert_each_reader_got_the_post_once(smtp_sink, readers, post.title)
    rows = mailing_rows(the_mailing())
    assert_the_mailing_is_complete(rows)
    # Each refusal cost its message one attempt, and the message was tried again until it was accepted.
    assert rows.filter(attempts__gt=1).exists()
    assert sum(rows.values_list("attempts", flat=True)) == CONFIRMED + smtp_sink.refused
