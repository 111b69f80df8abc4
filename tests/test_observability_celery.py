"""Celery tasks carry the enqueuing request's id, and their log records never hold arguments or messages."""

import logging
import smtplib

import pytest
from celery import signals
from django.conf import settings

from site_project import celery_app
from site_project.celery_signals import REQUEST_ID_HEADER, configure_worker_logging
from site_project.request_id import current_request_id
from tests.log_capture import log_entries

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "secret@example.com"
seen_request_ids: list[str] = []


@celery_app.task(name="tests.observability.remember_request_id")
def remember_request_id() -> None:
    seen_request_ids.append(current_request_id.get())
    logging.getLogger("tests.observability").info("Task work done")


@celery_app.task(name="tests.observability.send_to", bind=True)
def send_to(self, address: str, note: str = "") -> None:
    raise smtplib.SMTPRecipientsRefused({address: (550, f"<{address}> unknown".encode())})


@celery_app.task(name="tests.observability.retry_then_fail", bind=True, max_retries=1)
def retry_then_fail(self, address: str) -> None:
    raise self.retry(
        exc=smtplib.SMTPSenderRefused(550, f"<{address}> refused".encode(), address), countdown=0
    )


@celery_app.task(name="tests.observability.returns_personal_data")
def returns_personal_data(address: str) -> dict:
    return {"to": address}


@pytest.fixture(autouse=True)
def forget_seen_ids():
    seen_request_ids.clear()


@pytest.fixture
def in_request():
    token = current_request_id.set("req-web-000111")
    yield "req-web-000111"
    current_request_id.reset(token)


def test_publishing_a_task_stamps_the_current_request_id_on_the_message(in_request):
    headers: dict = {}

    signals.before_task_publish.send(
        sender="site_project.outbox.tasks.deliver_email", headers=headers, body=((), {}, {})
    )

    assert headers[REQUEST_ID_HEADER] == in_request


def test_publishing_outside_a_request_adds_no_header():
    headers: dict = {}

    signals.before_task_publish.send(
        sender="site_project.outbox.tasks.deliver_email", headers=headers, body=((), {}, {})
    )

    assert REQUEST_ID_HEADER not in headers


def test_task_runs_with_the_request_id_from_its_message_and_forgets_it_afterwards(json_log):
    remember_request_id.apply(headers={REQUEST_ID_HEADER: "req-enqueued-by-web"})

    assert seen_request_ids == ["req-enqueued-by-web"]
    assert current_request_id.get() == "-"
    work = [entry for entry in log_entries(json_log) if entry["message"] == "Task work done"]
    assert work[0]["request_id"] == "req-enqueued-by-web"


def test_eager_task_sent_while_serving_a_request_logs_its_request_id(in_request, json_log):
    remember_request_id.delay()

    assert seen_request_ids == [in_request]


def test_failed_task_is_logged_with_name_id_request_id_and_exception_class_only(json_log, caplog):
    result = send_to.apply(
        args=[SECRET_ADDRESS], kwargs={"note": "I feel anxious"}, headers={REQUEST_ID_HEADER: "req-abc-123"}
    )

    assert result.failed()
    output = json_log.getvalue()
    assert SECRET_ADDRESS not in output
    assert "anxious" not in output
    assert SECRET_ADDRESS not in caplog.text
    (failure,) = [entry for entry in log_entries(json_log) if entry["logger"] == "celery.app.trace"]
    assert failure["level"] == "ERROR"
    assert failure["task_name"] == "tests.observability.send_to"
    assert failure["task_id"] == result.id
    assert failure["request_id"] == "req-abc-123"
    assert failure["exception"] == "SMTPRecipientsRefused"
    assert failure["message"] == (
        f"Task tests.observability.send_to[{result.id}] raised unexpected: SMTPRecipientsRefused"
    )


def test_failed_task_record_holds_no_arguments_for_other_handlers(caplog):
    with caplog.at_level(logging.INFO, logger="celery.app.trace"):
        send_to.apply(args=[SECRET_ADDRESS])

    (record,) = [record for record in caplog.records if record.name == "celery.app.trace"]
    assert record.exc_info is None
    assert SECRET_ADDRESS not in repr(vars(record))


def test_retries_are_logged_without_the_exception_message(json_log):
    retry_then_fail.apply(args=[SECRET_ADDRESS])

    output = json_log.getvalue()
    assert SECRET_ADDRESS not in output
    trace = [entry["message"] for entry in log_entries(json_log) if entry["logger"] == "celery.app.trace"]
    assert any(message.endswith("retry: SMTPSenderRefused") for message in trace)


def test_success_is_logged_without_the_return_value(json_log):
    result = returns_personal_data.apply(args=[SECRET_ADDRESS])

    assert result.get() == {"to": SECRET_ADDRESS}
    assert SECRET_ADDRESS not in json_log.getvalue()
    trace = [entry["message"] for entry in log_entries(json_log) if entry["logger"] == "celery.app.trace"]
    assert len(trace) == 1 and " succeeded in " in trace[0]


@pytest.fixture
def logging_applied_again():
    """LOGGING applied a second time, as a worker does (Django at start, then Celery's setup_logging)."""
    loggers = [logging.getLogger(name) for name in settings.LOGGING["loggers"]]
    filters_before = {logger: list(logger.filters) for logger in loggers}
    trace_filters = len(logging.getLogger("celery.app.trace").filters)
    configure_worker_logging()
    assert len(logging.getLogger("celery.app.trace").filters) == trace_filters + 1
    yield
    for logger, filters in filters_before.items():
        logger.filters[:] = filters


def test_a_worker_that_applied_logging_twice_still_logs_each_outcome_once(logging_applied_again, json_log):
    success = returns_personal_data.apply(args=[SECRET_ADDRESS])
    failure = send_to.apply(args=[SECRET_ADDRESS])

    assert SECRET_ADDRESS not in json_log.getvalue()
    trace = [entry["message"] for entry in log_entries(json_log) if entry["logger"] == "celery.app.trace"]
    assert [message.split("] ", 1)[1].split(" in ")[0] for message in trace] == [
        "succeeded",
        "raised unexpected: SMTPRecipientsRefused",
    ]
    assert success.id in trace[0] and failure.id in trace[1]
