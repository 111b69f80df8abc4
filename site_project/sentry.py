"""Optional error reporting to Sentry, switched on by the one environment variable SENTRY_DSN.

A counseling practice's errors must not carry its visitors' words to a third party, so reports leave without
personal data: no request body, cookies, query string or headers that identify a person, no local
variables, no task arguments, and exceptions keep their class and stack but not their message.
"""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

REDACTED = "[redacted]"
_SAFE_REQUEST_KEYS = ("url", "method")
_SAFE_HEADERS = {"host", "user-agent", "x-request-id", "referer", "accept", "content-type"}


def _scrub_request(request: dict[str, Any]) -> dict[str, Any]:
    scrubbed = {key: request[key] for key in _SAFE_REQUEST_KEYS if key in request}
    headers = request.get("headers") or {}
    scrubbed["headers"] = {name: value for name, value in headers.items() if name.lower() in _SAFE_HEADERS}
    return scrubbed


def _scrub_stacktrace(stacktrace: dict[str, Any] | None) -> None:
    for frame in (stacktrace or {}).get("frames") or []:
        frame.pop("vars", None)


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Strip everything that can hold a visitor's data from an event before it leaves."""
    if "request" in event:
        event["request"] = _scrub_request(event["request"])
    event.pop("user", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = REDACTED
        _scrub_stacktrace(exception.get("stacktrace"))
    for thread in (event.get("threads") or {}).get("values") or []:
        _scrub_stacktrace(thread.get("stacktrace"))
    logentry = event.get("logentry")
    if isinstance(logentry, dict) and logentry.get("params"):
        logentry["params"] = []
        logentry.pop("formatted", None)
    extra = event.get("extra") or {}
    job = extra.get("celery-job")
    event["extra"] = {"celery-job": {"task_name": job.get("task_name")}} if isinstance(job, dict) else {}
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values") or []:
        breadcrumb.pop("data", None)
    return event


def init_sentry(dsn: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
    )
