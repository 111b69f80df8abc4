"""Appointment mail: what each email says and never says, how it enters the outbox once, and retention.

Delivery itself (claims, retries, the sweep) is the outbox's and is tested in tests/test_outbox_delivery.py.
"""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from booking import services as booking_services
from booking.emails import fill_placeholders, outbox_key, safe_reply_to
from booking.models import AppointmentRequest
from booking.services import RequestData, submit_appointment_request
from booking.tasks import purge_old_requests
from home.models import PracticeSettings
from site_project.outbox.models import Email
from site_project.outbox.tasks import deliver_email
from tests.booking_factories import contact_post, make_contact_page, make_office_hours, make_practice_details

pytestmark = pytest.mark.django_db

MESSAGE = "My private words about why I need help"


@pytest.fixture
def practice(site) -> PracticeSettings:
    return make_practice_details(site)


@pytest.fixture
def contact_page(home_page, practice):
    make_office_hours(note="Evening sessions by request")
    return make_contact_page(home_page)


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
    link = f"http://testserver/admin/appointment-requests/inspect/{request.pk}/"
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


def test_each_email_of_a_request_enters_the_outbox_once_under_its_key(contact_page):
    request = submit(contact_page)
    stored = {email.key: email for email in Email.objects.all()}
    confirmation = stored[outbox_key(request.pk, "confirmation")]
    notification = stored[outbox_key(request.pk, "notification")]
    assert (confirmation.to, confirmation.status) == (["ana@example.org"], "pending")
    assert (notification.to, notification.status) == (["counselor@practice.example"], "pending")
    assert confirmation.subject == "We received your request, Ana"
    assert MESSAGE not in confirmation.body + notification.body
    assert deliver_email.apply(args=[confirmation.pk]).get() == "sent"
    assert deliver_email.apply(args=[confirmation.pk]).get() == "skipped"
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_an_email_that_cannot_be_rendered_is_logged_and_the_request_and_other_email_are_kept(
    contact_page, caplog, django_capture_on_commit_callbacks
):
    original = booking_services.build_message

    def broken_confirmation(request, kind, recipient):
        if kind == "confirmation":
            raise ValueError("bad template")
        return original(request, kind, recipient)

    with (
        mock.patch.object(booking_services, "build_message", side_effect=broken_confirmation),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request = submit(contact_page)
    assert AppointmentRequest.objects.filter(pk=request.pk).exists()
    assert list(Email.objects.values_list("key", flat=True)) == [outbox_key(request.pk, "notification")]
    assert [m.to for m in mail.outbox] == [["counselor@practice.example"]]
    assert (
        f"The confirmation of appointment request {request.pk} could not be written (ValueError)"
        in caplog.text
    )


def test_purge_deletes_requests_and_their_mail_after_the_retention_period(contact_page, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 30
    old = submit(contact_page, name="Old Request")
    recent = submit(contact_page, name="Recent Request")
    AppointmentRequest.objects.filter(pk=old.pk).update(submit_time=timezone.now() - timedelta(days=31))
    AppointmentRequest.objects.filter(pk=recent.pk).update(submit_time=timezone.now() - timedelta(days=29))
    assert purge_old_requests.apply().get() == 1
    assert list(AppointmentRequest.objects.values_list("name", flat=True)) == ["Recent Request"]
    assert set(Email.objects.values_list("key", flat=True)) == {
        outbox_key(recent.pk, "confirmation"),
        outbox_key(recent.pk, "notification"),
    }
