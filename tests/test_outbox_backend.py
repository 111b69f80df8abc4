"""The site's EMAIL_BACKEND: Django's and Wagtail's own mail (send_mail, password resets) is stored in the outbox
in the current transaction and delivered after commit; with the broker down it waits for the sweep."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import send_mail
from django.db import transaction

from site_project.outbox.models import Email

pytestmark = pytest.mark.django_db

OUTBOX_BACKEND = "site_project.outbox.backend.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def outbox_backend(settings):
    """pytest-django swaps EMAIL_BACKEND for locmem; these tests use the site's own."""
    settings.EMAIL_BACKEND = OUTBOX_BACKEND


@pytest.fixture
def staff_member(db):
    return get_user_model().objects.create_user(
        "counselor", "counselor@practice.example", "a-long-test-password", is_staff=True
    )


def test_send_mail_is_stored_at_once_and_delivered_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert send_mail("Hello", "Body", "site@example.com", ["person@example.com"]) == 1
    email = Email.objects.get()
    assert (email.subject, email.to, email.status, email.key) == (
        "Hello",
        ["person@example.com"],
        "pending",
        None,
    )
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert [(m.subject, m.to) for m in mail.outbox] == [("Hello", ["person@example.com"])]
    email.refresh_from_db()
    assert email.status == "sent"


def test_mail_sent_in_a_transaction_that_rolls_back_is_neither_stored_nor_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Hello", "Body", "site@example.com", ["person@example.com"])
        raise RuntimeError("the view failed after sending")
    assert not Email.objects.exists()
    assert mail.outbox == []


def test_a_message_without_recipients_is_skipped_like_djangos_own_backends():
    assert send_mail("Hello", "Body", "site@example.com", []) == 0
    assert not Email.objects.exists()


def test_a_message_that_cannot_be_stored_raises_unless_told_to_fail_silently(caplog):
    with pytest.raises(ValueError):
        send_mail("Hello\nBcc: victim@example.org", "Body", "site@example.com", ["person@example.com"])
    with caplog.at_level(logging.WARNING):
        sent = send_mail(
            "Hello\nBcc: victim@example.org",
            "Body",
            "site@example.com",
            ["person@example.com"],
            fail_silently=True,
        )
    assert sent == 0
    assert not Email.objects.exists()
    assert "Could not store an email in the outbox (BadHeaderError)" in caplog.text
    assert "person@example.com" not in caplog.text


def test_a_password_reset_is_stored_and_delivered_through_the_outbox(
    client, staff_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/password_reset/", {"email": "counselor@practice.example"})
    assert response.status_code == 302
    email = Email.objects.get()
    assert email.to == ["counselor@practice.example"]
    assert email.status == "sent"
    (sent,) = mail.outbox
    assert sent.to == ["counselor@practice.example"]
    assert "/admin/password_reset/confirm/" in sent.body
