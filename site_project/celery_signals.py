"""Celery signal handlers: the web request's id travels with the tasks it enqueues, and the worker logs like
the web process (settings.LOGGING, with its JSON formatter and its privacy filter on Celery's task loggers).

`connect()` is called once from site_project/celery.py, so the worker and the web process both have them.
"""

import logging.config
from contextvars import Token

from celery import signals
from django.conf import settings

from site_project.request_id import current_request_id

REQUEST_ID_HEADER = "x_request_id"
_UNSET = current_request_id.get()

_tokens: dict[str, Token] = {}


def add_request_id_header(headers: dict | None = None, **_kwargs) -> None:
    """before_task_publish: stamp the message with the id of the request (or task) that sends it."""
    request_id = current_request_id.get()
    if headers is not None and request_id != _UNSET:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


def request_id_of_task(request) -> str | None:
    """The header as a worker sees it (merged into the task's request) or as `apply(headers=...)` passes it."""
    return getattr(request, REQUEST_ID_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        REQUEST_ID_HEADER
    )


def bind_request_id(task_id: str | None = None, task=None, **_kwargs) -> None:
    """task_prerun: log records written while the task runs carry the enqueuing request's id."""
    request_id = request_id_of_task(task.request) if task is not None else None
    if request_id and task_id:
        _tokens[task_id] = current_request_id.set(str(request_id))


def release_request_id(task_id: str | None = None, **_kwargs) -> None:
    """task_postrun: forget the id again, so the next task in this worker does not inherit it."""
    token = _tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            current_request_id.reset(token)
        except ValueError:  # set in another context (should not happen); leave the default in place
            current_request_id.set(_UNSET)


def configure_worker_logging(**_kwargs) -> None:
    """setup_logging: with a receiver connected, Celery leaves logging alone; we apply Django's LOGGING."""
    logging.config.dictConfig(settings.LOGGING)


def connect() -> None:
    signals.before_task_publish.connect(add_request_id_header, weak=False)
    signals.task_prerun.connect(bind_request_id, weak=False)
    signals.task_postrun.connect(release_request_id, weak=False)
    signals.setup_logging.connect(configure_worker_logging, weak=False)
