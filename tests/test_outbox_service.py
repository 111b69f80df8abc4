"""`outbox.send`: stores the whole message in the caller's transaction, delivers after commit, once per key, and
refuses at the sender a message that could never be sent."""

from email.mime.text import MIMEText
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction

from site_project.outbox import services as outbox
from site_project.outbox.models import KEY_MAX_LENGTH, Email
from site_project.outbox.tasks import deliver_email
from tests.outbox_factories import SECRET_ADDRESS, make_message

pytestmark = pytest.mark.django_db


def test_send_stores_the_whole_message_and_delivers_it_only_after_commit(django_capture_on_commit_callbacks):
    message = make_message(cc=["copy@example.org"], bcc=["hidden@example.org"])
    message.attach("note.txt", "A note ✓", "text/plain")
    message.attach("scan.bin", b"\x00\x01binary", "application/octet-stream")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = outbox.send(message, key="tests.full-message")
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == "pending"
    assert (email.to, email.cc, email.bcc) == ([SECRET_ADDRESS], ["copy@example.org"], ["hidden@example.org"])
    assert email.alternatives == [["<p>HTML words</p>", "text/html"]]

    for callback in callbacks:
        callback()

    (sent,) = mail.outbox
    assert sent.recipients() == [SECRET_ADDRESS, "copy@example.org", "hidden@example.org"]
    assert sent.subject == "Your appointment ✓"
    assert sent.attachments[0][:2] == ("note.txt", "A note ✓")
    assert sent.attachments[1][:2] == ("scan.bin", b"\x00\x01binary")
    assert sent.extra_headers["List-Unsubscribe"] == "<https://practice.example/unsubscribe/abc/>"
    assert sent.message()["Message-ID"] == email.headers["Message-ID"]
    email.refresh_from_db()
    assert email.status == "sent"


def test_an_html_only_message_keeps_its_html_body(django_capture_on_commit_callbacks):
    message = EmailMessage("Hello", "<p>Only HTML</p>", to=["person@example.org"])
    message.content_subtype = "html"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send(message)
    assert mail.outbox[0].message().get_content_type() == "text/html"


def test_the_message_id_is_fixed_when_stored_so_a_resend_carries_the_same_one():
    email = outbox.send(make_message())
    assert email.headers["Message-ID"].endswith("@testserver>")
    deliver_email.apply(args=[email.pk])
    Email.objects.filter(pk=email.pk).update(status="pending")
    deliver_email.apply(args=[email.pk])
    assert [m.message()["Message-ID"] for m in mail.outbox] == [email.headers["Message-ID"]] * 2


def test_a_rolled_back_transaction_leaves_nothing_stored_and_nothing_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbox.send(make_message())
        raise RuntimeError("the sender's own work failed")
    assert not Email.objects.exists()
    assert mail.outbox == []


def test_the_same_key_stores_and_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.send(make_message(subject="First"), key="booking.request.42.confirmation")
        again = outbox.send(make_message(subject="Second"), key="booking.request.42.confirmation")
    assert again.pk == first.pk
    assert Email.objects.count() == 1
    assert [m.subject for m in mail.outbox] == ["First"]


def test_a_key_taken_by_a_concurrent_sender_returns_that_senders_row():
    taken = outbox.send(make_message(subject="Theirs"), key="race")
    with mock.patch.object(Email.objects, "filter", return_value=Email.objects.none()):
        mine = outbox.send(make_message(subject="Mine"), key="race")
    assert mine.pk == taken.pk
    assert list(Email.objects.values_list("subject", flat=True)) == ["Theirs"]


@pytest.mark.parametrize("key", ["", "   ", "x" * (KEY_MAX_LENGTH + 1), 42, b"bytes"])
def test_a_bad_key_is_refused_and_nothing_is_stored(key):
    with pytest.raises(ValueError, match="outbox key"):
        outbox.send(make_message(), key=key)
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"to": [], "reply_to": []}, "at least one recipient"),
        ({"subject": "Hello\nBcc: victim@example.org"}, "newline"),
        ({"to": ["ana@example.org\nBcc: victim@example.org"]}, "newline"),
        ({"to": ["ana@example@org"]}, "Invalid address"),
        ({"reply_to": ["<>"]}, "Invalid address"),
        ({"headers": {"X-Note": "a\r\nBcc: victim@example.org"}}, "newline"),
    ],
)
def test_a_message_that_could_never_be_sent_is_refused_at_the_sender(overrides, error):
    with pytest.raises(ValueError, match=error):
        outbox.send(make_message(**overrides))
    assert not Email.objects.exists()


def test_header_injection_raises_djangos_bad_header_error():
    with pytest.raises(BadHeaderError):
        outbox.send(make_message(subject="Hi\r\nBcc: victim@example.org"))


def test_an_attachment_given_as_a_mime_part_is_refused():
    message = make_message()
    message.attach(MIMEText("part"))
    with pytest.raises(ValueError, match="file name, content, MIME type"):
        outbox.send(message)


def test_discard_deletes_the_messages_stored_under_the_keys():
    outbox.send(make_message(), key="booking.request.1.confirmation")
    outbox.send(make_message(), key="booking.request.2.confirmation")
    outbox.send(make_message())
    assert outbox.discard(["booking.request.1.confirmation", "unknown"]) == 1
    assert set(Email.objects.values_list("key", flat=True)) == {"booking.request.2.confirmation", None}
