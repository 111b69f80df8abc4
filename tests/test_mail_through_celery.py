"""Every email leaves through Celery: the site's backend enqueues on commit, the task delivers."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail

from home.mail import message_from_dict, message_to_dict

pytestmark = pytest.mark.django_db


def test_a_message_survives_the_json_round_trip_with_html_reply_to_and_attachment():
    message = EmailMultiAlternatives(
        subject="Réunion ✓",
        body="plain",
        from_email="site@example.com",
        to=["a@example.com"],
        reply_to=["r@example.com"],
        headers={"X-Request": "1"},
    )
    message.attach_alternative("<p>html</p>", "text/html")
    message.attach("note.bin", b"bytes\x00here", "application/octet-stream")

    copy = message_from_dict(message_to_dict(message))

    assert copy.subject == "Réunion ✓"
    assert copy.reply_to == ["r@example.com"]
    assert copy.alternatives[0][0] == "<p>html</p>"
    assert copy.attachments[0][1] == b"bytes\x00here"
    assert copy.extra_headers == {"X-Request": "1"}


def test_send_mail_is_delivered_by_the_task_only_after_the_transaction_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "home.mail.CeleryEmailBackend"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail("Hello", "Body", "site@example.com", ["person@example.com"])
        assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert mail.outbox[0].to == ["person@example.com"]


def test_a_broker_failure_is_not_raised_into_a_request_when_fail_silently(settings, monkeypatch):
    from home import tasks

    settings.EMAIL_BACKEND = "home.mail.CeleryEmailBackend"

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver_email, "delay", broker_down)
    sent = send_mail("Hello", "Body", "site@example.com", ["person@example.com"], fail_silently=True)
    assert sent == 1
