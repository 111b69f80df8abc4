"""Structured logs: one JSON object per line with the request id, and exceptions without their messages."""

import logging
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from site_project.log_format import JsonFormatter, PlainFormatter
from site_project.request_id import RequestIdFilter, current_request_id
from tests.log_capture import log_entries

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "secret@example.com"


def refused_delivery() -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({SECRET_ADDRESS: (550, b"5.1.1 <secret@example.com> unknown")})


def test_each_record_is_one_json_object_with_time_level_logger_message_and_request_id(json_log):
    token = current_request_id.set("req-0123456789")
    try:
        logging.getLogger("home.test").warning("Something %s happened", "odd")
    finally:
        current_request_id.reset(token)

    (entry,) = log_entries(json_log)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "home.test"
    assert entry["message"] == "Something odd happened"
    assert entry["request_id"] == "req-0123456789"
    assert entry["time"].endswith("+00:00")


def test_logs_written_while_serving_a_request_carry_its_request_id(client, json_log):
    user = get_user_model().objects.create_superuser("counselor", "c@practice.example", "x" * 16)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)

    response = client.post(
        reverse("two_factor_verify"), {"code": "000000"}, HTTP_X_REQUEST_ID="req-from-nginx-42"
    )

    assert response["X-Request-ID"] == "req-from-nginx-42"
    refused = [entry for entry in log_entries(json_log) if entry["message"] == "Two-factor code refused"]
    assert refused and refused[0]["request_id"] == "req-from-nginx-42"
    assert refused[0]["user_id"] == user.pk


def test_responses_django_logs_after_the_request_keep_its_request_id(client, json_log, home_page):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-not-found-7")

    not_found = [entry for entry in log_entries(json_log) if entry["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == "req-not-found-7"
    assert not_found[0]["status_code"] == 404


def test_exception_is_logged_as_its_class_and_stack_without_its_message(json_log):
    try:
        raise refused_delivery()
    except smtplib.SMTPRecipientsRefused:
        logging.getLogger("site_project.outbox.tasks").exception("Delivery failed")

    output = json_log.getvalue()
    (entry,) = log_entries(json_log)
    assert entry["exception"] == "SMTPRecipientsRefused"
    assert any("test_observability_logs.py" in frame for frame in entry["stack"])
    assert SECRET_ADDRESS not in output


def test_plain_format_also_leaves_out_exception_messages():
    record = logging.LogRecord(
        "site_project.outbox.tasks", logging.ERROR, __file__, 1, "Delivery failed", (), None
    )
    try:
        raise refused_delivery()
    except smtplib.SMTPRecipientsRefused:
        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)

    output = PlainFormatter().format(record)

    assert "Delivery failed" in output
    assert "SMTPRecipientsRefused" in output
    assert SECRET_ADDRESS not in output


def test_console_handler_is_configured_for_json_with_the_request_id_filter():
    console = settings.LOGGING["handlers"]["console"]

    assert (
        settings.LOGGING["formatters"][console["formatter"]]["()"] == "site_project.log_format.JsonFormatter"
    )
    assert console["filters"] == ["request_id"]
    assert any(isinstance(handler.formatter, JsonFormatter) for handler in logging.getLogger().handlers)


@pytest.mark.parametrize(("value", "formatter"), [("", "json"), ("json", "json"), ("plain", "plain")])
def test_log_format_environment_variable_chooses_the_formatter(value, formatter):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(settings.BASE_DIR),
        env={"DJANGO_SETTINGS_MODULE": "site_project.settings.test", "LOG_FORMAT": value, "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.strip() == formatter
