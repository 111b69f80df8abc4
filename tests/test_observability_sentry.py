"""Sentry is optional, switched on by SENTRY_DSN alone, and reports leave without personal data."""

import importlib
from unittest import mock

import pytest

import site_project.sentry
import site_project.settings.base
from site_project.sentry import REDACTED, before_send, init_sentry

DSN = "https://public@sentry.example/1"


@pytest.fixture
def reload_settings(monkeypatch):
    """Re-run the settings module with a patched environment, then restore it as the environment has it."""
    yield lambda: importlib.reload(site_project.settings.base)
    monkeypatch.undo()
    with mock.patch("site_project.sentry.init_sentry"):
        importlib.reload(site_project.settings.base)


def test_without_a_dsn_sentry_is_not_initialised(monkeypatch, reload_settings):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    with mock.patch("site_project.sentry.init_sentry") as init:
        reload_settings()

    init.assert_not_called()


def test_a_dsn_in_the_environment_initialises_sentry(monkeypatch, reload_settings):
    monkeypatch.setenv("SENTRY_DSN", DSN)
    with mock.patch("site_project.sentry.init_sentry") as init:
        reload_settings()

    init.assert_called_once_with(DSN)


def test_sentry_is_initialised_without_personal_data_and_with_django_and_celery():
    with mock.patch.object(site_project.sentry.sentry_sdk, "init") as init:
        init_sentry(DSN)

    options = init.call_args.kwargs
    assert options["dsn"] == DSN
    assert options["send_default_pii"] is False
    assert options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["before_send"] is before_send
    names = {type(integration).__name__ for integration in options["integrations"]}
    assert names == {"DjangoIntegration", "CeleryIntegration"}


def test_before_send_drops_bodies_cookies_local_variables_and_task_arguments():
    event = {
        "request": {
            "url": "https://practice.example/contact/",
            "method": "POST",
            "data": {"message": "I feel anxious", "email": "secret@example.com"},
            "cookies": {"sessionid": "abc"},
            "query_string": "email=secret@example.com",
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox", "Authorization": "Basic x"},
            "env": {"REMOTE_ADDR": "203.0.113.5"},
        },
        "user": {"ip_address": "203.0.113.5"},
        "exception": {
            "values": [
                {
                    "type": "SMTPRecipientsRefused",
                    "value": "{'secret@example.com': (550, b'unknown')}",
                    "stacktrace": {"frames": [{"function": "send", "vars": {"to": "secret@example.com"}}]},
                }
            ]
        },
        "extra": {
            "celery-job": {
                "task_name": "site_project.outbox.tasks.deliver_email",
                "args": ["secret@example.com"],
            },
            "data": {"args": "secret"},
        },
        "breadcrumbs": {"values": [{"category": "query", "data": {"params": ["secret@example.com"]}}]},
    }

    scrubbed = before_send(event, {})

    assert "secret@example.com" not in repr(scrubbed)
    assert "anxious" not in repr(scrubbed)
    assert "sessionid" not in repr(scrubbed)
    assert scrubbed["request"] == {
        "url": "https://practice.example/contact/",
        "method": "POST",
        "headers": {"User-Agent": "Firefox"},
    }
    exception = scrubbed["exception"]["values"][0]
    assert exception["type"] == "SMTPRecipientsRefused"
    assert exception["value"] == REDACTED
    assert exception["stacktrace"]["frames"] == [{"function": "send"}]
    assert scrubbed["extra"] == {"celery-job": {"task_name": "site_project.outbox.tasks.deliver_email"}}
