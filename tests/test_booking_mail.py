"""Appointment mail: what each email says and never says, the outbox task, retries, resend and retention."""

import logging
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from kombu.exceptions import OperationalError

from booking.emails import fill_placeholders, safe_reply_to
from booking.models import AppointmentRequest, OutboxEmail
from booking.services import RequestData, submit_appointment_request
from booking.tasks import (
    MAX_RETRIES,
    purge_old_requests,
    resend_unsent_mail,
    retry_countdown,
    send_outbox_mail,
)
from home.models import PracticeSettings
from tests.booking_factories import contact_post, make_contact_page, make_office_hours, make_practice_details

pytestmark = pytest.mark.django_db

MESSAGE = "My private words about why I need help"


class FlakyBackend(LocmemBackend):
    """Fails like an SMTP server for the next `failures` sends, then delivers to django.core.mail.outbox."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("lost connection while sending to ana@example.org")
        return super().send_messages(messages)


@pytest.fixture
def practice(site) -> PracticeSettings:
    return make_practice_details(site)


@pytest.fixture
def contact_page(home_page, practice):
    make_office_hours(note="Evening sessions by request")
    return make_contact_page(home_page)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.test_booking_mail.FlakyBackend"
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0


def submit(page, **fields) -> AppointmentRequest:
    data = {"name": "Ana Lima", "email": "ana@example.org", "message": MESSAGE, "consent": True, **fields}
    return submit_appointment_request(page=page, data=RequestData(**data))


def by_recipient() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_visitor_gets_a_confirmation_with_practice_details_hours_and_crisis_notice(
    client, contact_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(contact_page.url, contact_post(short_message=MESSAGE))
    confirmation = by_recipient()["ana@example.org"]
    html = html_of(confirmation)
    assert confirmation.subject == "We received your request, Ana"
    assert confirmation.from_email == "Practice website <no-reply@localhost>"
    assert confirmation.reply_to == ["hello@practice.example"]
    for text in (confirmation.body, html):
        assert "Dear Ana," in text
        assert "It is not yet confirmed." in text
        assert "We will reply by the end of" in text
        assert "Willow Test Counseling" in text
        assert "(603) 555-0142" in text
        assert "24 Alder Street" in text
        assert "Evening sessions by request" in text
        assert "call or text 988" in text
        assert "is accepting new clients" in text
        assert MESSAGE not in text
        assert "Weekday mornings" not in text
    assert "Monday: 9:00–18:00" in confirmation.body
    assert "Sunday: Closed" in confirmation.body


def test_confirmation_omits_the_address_when_the_practice_keeps_it_private(
    contact_page, practice, django_capture_on_commit_callbacks
):
    practice.show_address = False
    practice.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(contact_page)
    confirmation = by_recipient()["ana@example.org"]
    assert "24 Alder Street" not in confirmation.body
    assert "24 Alder Street" not in html_of(confirmation)


def test_counselor_gets_a_notification_with_an_admin_link_and_reply_to_the_visitor(
    contact_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(contact_page, phone="+1 603 555 0100", preferred_times="Mornings")
    notification = by_recipient()["counselor@practice.example"]
    link = f"http://testserver/admin/booking/appointmentrequest/edit/{request.pk}/"
    assert notification.subject == f"New appointment request #{request.pk}"
    assert notification.from_email == "Practice website <no-reply@localhost>"
    assert notification.reply_to == ["ana@example.org"]
    for text in (notification.body, html_of(notification)):
        assert link in text
        for private in (MESSAGE, "Ana Lima", "+1 603 555 0100", "Mornings"):
            assert private not in text


def test_notification_goes_to_the_practice_email_when_the_page_names_no_recipient(
    home_page, practice, django_capture_on_commit_callbacks
):
    page = make_contact_page(home_page, notification_email="")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page)
    assert sorted(by_recipient()) == ["ana@example.org", "hello@practice.example"]


def test_confirmation_subject_and_text_are_edited_with_safe_placeholders(
    contact_page, django_capture_on_commit_callbacks
):
    contact_page.confirmation_subject = "Hello {first_name} from {practice_name} {unknown}"
    contact_page.confirmation_text = "Hi {first_name.__class__} {name} {0} {reply_by}"
    contact_page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        submit(contact_page, name="<b>Ana</b> Lima")
    confirmation = by_recipient()["ana@example.org"]
    assert confirmation.subject == "Hello <b>Ana</b> from Willow Test Counseling {unknown}"
    assert confirmation.body.startswith("Hi {first_name.__class__} <b>Ana</b> Lima {0} by the end of ")
    assert "Hi {first_name.__class__} &lt;b&gt;Ana&lt;/b&gt; Lima {0} by the end of" in html_of(confirmation)


def test_fill_placeholders_replaces_only_whitelisted_names():
    values = {"first_name": "Ana", "secret": "x"}
    assert fill_placeholders("{first_name} {secret} {first_name!r} {{first_name}}", values) == (
        "Ana {secret} {first_name!r} {Ana}"
    )


@pytest.mark.parametrize("address", ["ana@example.org\nBcc: x@example.org", "not an address", "a@b.c\r"])
def test_reply_to_is_left_out_for_an_address_that_could_inject_headers(address):
    assert safe_reply_to(address) == []


def test_a_task_run_twice_sends_once(contact_page):
    request = submit(contact_page)
    confirmation = request.emails.get(kind="confirmation")
    assert send_outbox_mail.apply(args=[confirmation.pk]).get() == "sent"
    assert send_outbox_mail.apply(args=[confirmation.pk]).get() == "skipped"
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == ("sent", 1)
    assert confirmation.sent_at is not None


def test_a_row_being_sent_by_another_worker_is_not_sent_again(contact_page):
    request = submit(contact_page)
    confirmation = request.emails.get(kind="confirmation")
    OutboxEmail.objects.filter(pk=confirmation.pk).update(status="sending", claimed_at=timezone.now())
    assert send_outbox_mail.apply(args=[confirmation.pk]).get() == "skipped"
    assert mail.outbox == []


def test_smtp_failure_is_retried_then_delivered_once(contact_page, flaky, caplog):
    flaky.failures = 2
    request = submit(contact_page)
    confirmation = request.emails.get(kind="confirmation")
    with caplog.at_level(logging.INFO):
        send_outbox_mail.apply(args=[confirmation.pk])
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == ("sent", 3)
    assert len(mail.outbox) == 1
    assert "SMTPServerDisconnected" in caplog.text
    assert "ana@example.org" not in caplog.text


def test_smtp_failure_records_the_error_class_and_when_to_try_again(contact_page, flaky):
    flaky.failures = 1
    request = submit(contact_page)
    confirmation = request.emails.get(kind="confirmation")
    with (
        mock.patch.object(send_outbox_mail, "retry", side_effect=RuntimeError("retry scheduled")) as retry,
        pytest.raises(RuntimeError),
    ):
        send_outbox_mail.run(confirmation.pk)
    countdown = retry.call_args.kwargs["countdown"]
    assert countdown == retry_countdown(0)
    assert "ana@example.org" not in str(retry.call_args.kwargs["exc"])
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.last_error) == ("pending", "SMTPServerDisconnected")
    assert confirmation.next_attempt_at > timezone.now() + timedelta(seconds=countdown - 5)


def test_mail_that_keeps_failing_is_marked_failed_after_the_last_retry(contact_page, flaky):
    flaky.failures = 100
    request = submit(contact_page)
    confirmation = request.emails.get(kind="confirmation")
    send_outbox_mail.apply(args=[confirmation.pk])
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == ("failed", MAX_RETRIES + 1)
    assert confirmation.last_error == "SMTPServerDisconnected"
    assert mail.outbox == []


def test_a_message_that_cannot_be_built_fails_without_retrying(contact_page):
    request = submit(contact_page)
    confirmation = request.emails.get(kind="confirmation")
    with mock.patch("booking.emails.build_message", side_effect=ValueError("bad template")):
        assert send_outbox_mail.apply(args=[confirmation.pk]).get() == "failed"
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.last_error, confirmation.attempts) == (
        "failed",
        "ValueError",
        1,
    )


def test_retry_countdown_doubles_and_stays_below_the_visibility_timeout(settings):
    settings.MAIL_RETRY_BACKOFF_SECONDS = 30
    settings.CELERY_BROKER_VISIBILITY_TIMEOUT = 3600
    assert [retry_countdown(n) for n in range(7)] == [30, 60, 120, 240, 480, 600, 600]
    settings.CELERY_BROKER_VISIBILITY_TIMEOUT = 300
    countdowns = [retry_countdown(n) for n in range(MAX_RETRIES + 1)]
    assert max(countdowns) < 300
    assert countdowns[:3] == [30, 60, 120]


def test_broker_down_at_submit_still_thanks_the_visitor_and_keeps_the_mail_pending(
    client, contact_page, caplog, django_capture_on_commit_callbacks
):
    down = OperationalError("Error 111 connecting to redis://:secret@broker:6379. Connection refused.")
    with (
        mock.patch.object(send_outbox_mail, "delay", side_effect=down),
        caplog.at_level(logging.WARNING),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(contact_page.url, contact_post(), follow=True)
    assert response.redirect_chain == [("/contact/thanks/", 302)]
    assert "not yet confirmed" in response.content.decode()
    assert AppointmentRequest.objects.count() == 1
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []
    assert "Could not enqueue outbox email" in caplog.text
    assert "OperationalError" in caplog.text
    for private in ("ana@example.org", "Ana Lima", "secret"):
        assert private not in caplog.text

    # The broker is back: the beat job leaves fresh rows alone, then sends each pending row exactly once.
    assert resend_unsent_mail.apply().get() == 0
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))
    assert resend_unsent_mail.apply().get() == 2
    assert sorted(by_recipient()) == ["ana@example.org", "counselor@practice.example"]
    assert resend_unsent_mail.apply().get() == 0
    assert len(mail.outbox) == 2


def test_resend_releases_rows_stuck_in_sending_after_their_worker_died(contact_page):
    request = submit(contact_page)
    stuck = request.emails.get(kind="confirmation")
    busy = request.emails.get(kind="notification")
    OutboxEmail.objects.filter(pk=stuck.pk).update(
        status="sending", attempts=1, claimed_at=timezone.now() - timedelta(minutes=10)
    )
    OutboxEmail.objects.filter(pk=busy.pk).update(status="sending", attempts=1, claimed_at=timezone.now())
    assert resend_unsent_mail.apply().get() == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert busy.status == "sending"
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_resend_leaves_sent_and_failed_mail_alone(contact_page):
    request = submit(contact_page)
    OutboxEmail.objects.filter(request=request, kind="confirmation").update(status="sent")
    OutboxEmail.objects.filter(request=request, kind="notification").update(status="failed")
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    assert resend_unsent_mail.apply().get() == 0
    assert mail.outbox == []


def test_purge_deletes_requests_and_their_mail_after_the_retention_period(contact_page, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 30
    old = submit(contact_page, name="Old Request")
    recent = submit(contact_page, name="Recent Request")
    AppointmentRequest.objects.filter(pk=old.pk).update(submit_time=timezone.now() - timedelta(days=31))
    AppointmentRequest.objects.filter(pk=recent.pk).update(submit_time=timezone.now() - timedelta(days=29))
    assert purge_old_requests.apply().get() == 1
    assert list(AppointmentRequest.objects.values_list("name", flat=True)) == ["Recent Request"]
    assert set(OutboxEmail.objects.values_list("request_id", flat=True)) == {recent.pk}
