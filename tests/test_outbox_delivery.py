"""The outbox task: claims a row so a task run twice sends once, retries transient failures with the one retry
policy, fails permanent ones at once, and never logs an address; the sweep and the retention job."""

import io
import logging
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from site_project import celery_app
from site_project.outbox.models import Email
from site_project.outbox.tasks import (
    deliver_email,
    forget_old_email,
    retry_delay,
    sweep_outbox,
)
from tests.outbox_factories import SECRET_ADDRESS, FlakyBackend, make_message, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.outbox_factories.FlakyBackend"
    FlakyBackend.failures = 0
    previous = FlakyBackend.error
    yield FlakyBackend
    FlakyBackend.failures = 0
    FlakyBackend.error = previous


def test_delivery_sends_the_stored_message_as_it_was_written_and_records_it():
    email = store()
    assert deliver_email.apply(args=[email.pk]).get() == "sent"
    (sent,) = mail.outbox
    assert sent.subject == "Your appointment ✓"
    assert sent.body == "Plain words"
    assert sent.alternatives[0] == ("<p>HTML words</p>", "text/html")
    assert sent.from_email == "Practice <no-reply@practice.example>"
    assert sent.to == [SECRET_ADDRESS]
    assert sent.reply_to == ["hello@practice.example"]
    assert sent.extra_headers["List-Unsubscribe"] == "<https://practice.example/unsubscribe/abc/>"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error, email.claimed_at) == ("sent", 1, "", None)
    assert email.sent_at is not None


def test_a_task_run_twice_sends_once():
    email = store()
    assert deliver_email.apply(args=[email.pk]).get() == "sent"
    assert deliver_email.apply(args=[email.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)


def test_a_row_being_sent_by_another_worker_is_not_sent_again():
    email = store()
    Email.objects.filter(pk=email.pk).update(status="sending", claimed_at=timezone.now())
    assert deliver_email.apply(args=[email.pk]).get() == "skipped"
    assert mail.outbox == []


def test_a_transient_failure_is_retried_then_delivered_once_and_logged_without_the_address(flaky, caplog):
    flaky.failures = 2
    email = store()
    with caplog.at_level(logging.INFO):
        deliver_email.apply(args=[email.pk])
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1
    assert "SMTPServerDisconnected" in caplog.text
    assert SECRET_ADDRESS not in caplog.text
    assert "appointment" not in caplog.text


def test_a_transient_failure_records_the_error_class_and_when_to_try_again(flaky):
    flaky.failures = 1
    email = store()
    with (
        mock.patch.object(deliver_email, "retry", side_effect=RuntimeError("retry scheduled")) as retry,
        pytest.raises(RuntimeError),
    ):
        deliver_email.run(email.pk)
    countdown = retry.call_args.kwargs["countdown"]
    assert countdown == retry_delay(1)
    assert SECRET_ADDRESS not in str(retry.call_args.kwargs["exc"])
    email.refresh_from_db()
    assert (email.status, email.last_error, email.claimed_at) == ("pending", "SMTPServerDisconnected", None)
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=countdown - 5)


def test_mail_that_keeps_failing_is_marked_failed_after_the_last_attempt(flaky, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    flaky.failures = 100
    email = store()
    deliver_email.apply(args=[email.pk])
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("failed", 4, "SMTPServerDisconnected")
    assert mail.outbox == []
    assert flaky.failures == 96


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({SECRET_ADDRESS: (550, b"No such user")}),
        smtplib.SMTPSenderRefused(553, b"Sender not allowed", "no-reply@practice.example"),
        smtplib.SMTPDataError(554, b"Message rejected as spam"),
    ],
)
def test_a_permanent_refusal_fails_at_once_without_retrying(flaky, error):
    flaky.error = error
    flaky.failures = 1
    email = store()
    assert deliver_email.apply(args=[email.pk]).get() == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("failed", 1, type(error).__name__)


def test_a_temporary_refusal_is_retried(flaky):
    flaky.error = smtplib.SMTPRecipientsRefused({SECRET_ADDRESS: (451, b"Try again later")})
    flaky.failures = 1
    email = store()
    assert deliver_email.apply(args=[email.pk]).get() == "sent"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)


def test_a_message_the_backend_cannot_build_fails_without_retrying():
    email = store()
    Email.objects.filter(pk=email.pk).update(attachments=[["note.txt", "not base64!", "text/plain"]])
    assert deliver_email.apply(args=[email.pk]).get() == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("failed", 1, "Error")
    assert mail.outbox == []


def test_retry_delay_doubles_up_to_the_cap_and_stays_below_the_visibility_timeout(settings):
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_BACKOFF_SECONDS = 600
    settings.CELERY_BROKER_VISIBILITY_TIMEOUT = 3600
    assert [retry_delay(attempt) for attempt in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]
    settings.CELERY_BROKER_VISIBILITY_TIMEOUT = 300
    delays = [retry_delay(attempt) for attempt in range(1, 12)]
    assert max(delays) < 300
    assert delays[:3] == [30, 60, 120]


def test_the_sweep_leaves_fresh_rows_then_sends_each_pending_row_once():
    first, second = store(make_message(to=["one@example.org"])), store(make_message(to=["two@example.org"]))
    assert sweep_outbox.apply().get() == 0
    Email.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))
    assert sweep_outbox.apply().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    assert sweep_outbox.apply().get() == 0
    assert len(mail.outbox) == 2
    assert set(Email.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        "sent"
    }


def test_the_sweep_releases_rows_stuck_in_sending_after_their_worker_died():
    stuck, busy = store(make_message(to=["stuck@example.org"])), store(make_message(to=["busy@example.org"]))
    Email.objects.filter(pk=stuck.pk).update(
        status="sending", attempts=1, claimed_at=timezone.now() - timedelta(minutes=10)
    )
    Email.objects.filter(pk=busy.pk).update(status="sending", attempts=1, claimed_at=timezone.now())
    assert sweep_outbox.apply().get() == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert busy.status == "sending"
    assert [m.to for m in mail.outbox] == [["stuck@example.org"]]


def test_a_row_that_killed_its_worker_on_every_attempt_is_failed_not_released_again(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = store()
    Email.objects.filter(pk=email.pk).update(
        status="sending", attempts=3, claimed_at=timezone.now() - timedelta(minutes=10)
    )
    assert sweep_outbox.apply().get() == 0
    email.refresh_from_db()
    assert (email.status, email.last_error) == ("failed", "WorkerLostError")
    assert mail.outbox == []


def test_the_sweep_leaves_sent_and_failed_mail_alone():
    store()
    store()
    first, second = Email.objects.order_by("pk")
    Email.objects.filter(pk=first.pk).update(status="sent")
    Email.objects.filter(pk=second.pk).update(status="failed")
    Email.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    assert sweep_outbox.apply().get() == 0
    assert mail.outbox == []


def test_sent_and_failed_mail_is_forgotten_after_the_retention_period(settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    old_sent, old_failed, old_pending, recent_sent = store(), store(), store(), store()
    Email.objects.filter(pk=old_sent.pk).update(status="sent")
    Email.objects.filter(pk=old_failed.pk).update(status="failed")
    Email.objects.filter(pk=recent_sent.pk).update(
        status="sent", created_at=timezone.now() - timedelta(days=29)
    )
    Email.objects.exclude(pk=recent_sent.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert forget_old_email.apply().get() == 2
    assert set(Email.objects.values_list("pk", flat=True)) == {old_pending.pk, recent_sent.pk}


def test_beat_sweeps_the_outbox_every_minute_and_every_scheduled_task_exists(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["site_project.outbox.tasks.sweep_outbox"] == timedelta(minutes=1)
    assert "site_project.outbox.tasks.forget_old_email" in schedule
    celery_app.loader.import_default_modules()
    assert set(schedule) <= set(celery_app.tasks)


def test_retry_failed_email_queues_recent_failures_again_with_fresh_attempts(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    recent, old, sent = store(), store(), store()
    Email.objects.filter(pk__in=[recent.pk, old.pk]).update(
        status="failed", attempts=3, last_error="SMTPServerDisconnected"
    )
    Email.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    Email.objects.filter(pk=sent.pk).update(status="sent")
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_failed_email", "--days", "2", stdout=output)

    assert output.getvalue().strip() == "Queued 1 failed emails again."
    recent.refresh_from_db()
    assert (recent.status, recent.attempts, recent.last_error) == ("sent", 1, "")
    assert Email.objects.get(pk=old.pk).status == "failed"
    assert len(mail.outbox) == 1


def test_retry_failed_email_refuses_a_window_of_less_than_a_day():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("retry_failed_email", "--days", "0")
