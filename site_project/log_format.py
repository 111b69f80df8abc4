"""Log formatting that keeps personal data out of the logs: one JSON object per line, or plain text for a laptop.

Both formatters print an exception as its class and the stack of code locations that raised it, never its
message: an SMTP error can hold the visitor's address, a validation error the text they typed.

`CeleryTaskPrivacyFilter` goes on Celery's own task loggers (settings.LOGGING). Celery logs a task's return
value on success, the exception's repr on failure and retry, and passes the task's arguments along in the
record's `data`; the filter rewrites those records to the task's name, id and exception class only.
"""

import json
import logging
import re
import traceback
from datetime import UTC, datetime
from types import TracebackType

from site_project.request_id import current_request_id

# Extra attributes a record may carry that are safe to print (ids and codes, never content).
SAFE_EXTRA_FIELDS = ("task_name", "task_id", "status_code", "user_id")
MAX_STACK_FRAMES = 30

_NO_REQUEST_ID = current_request_id.get()
_EXCEPTION_CLASS_IN_REPR = re.compile(r"([A-Za-z_][\w.]*)\(")


def request_id_of(record: logging.LogRecord) -> str:
    """The record's request id; Django logs 4xx responses after the request's context has closed, but
    hands the request along, so its id is still known."""
    request_id = getattr(record, "request_id", None)
    if request_id in (None, _NO_REQUEST_ID):
        request_id = getattr(getattr(record, "request", None), "request_id", None) or request_id
    return request_id or current_request_id.get()


def stack_of(tb: TracebackType | None) -> list[str]:
    """Where an exception passed through, as "file:line in function", without the source's values."""
    frames = traceback.extract_tb(tb)[-MAX_STACK_FRAMES:]
    return [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames]


def exception_summary(record: logging.LogRecord) -> tuple[str, list[str]] | None:
    """The exception class name and its stack, from exc_info or from what CeleryTaskPrivacyFilter left."""
    if record.exc_info and record.exc_info[0] is not None:
        exc_type, _value, tb = record.exc_info
        return exc_type.__name__, stack_of(tb)
    exception_type = getattr(record, "exception_type", None)
    if exception_type:
        return exception_type, list(getattr(record, "exception_stack", []))
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and exception class and stack."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_of(record),
        }
        for field in SAFE_EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        summary = exception_summary(record)
        if summary:
            entry["exception"], entry["stack"] = summary
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """Human-readable lines for development, with the same rule for exceptions: class and stack only."""

    default_format = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

    def __init__(self, fmt: str | None = None, *args, **kwargs) -> None:
        super().__init__(fmt or self.default_format, *args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id_of(record)
        summary = exception_summary(record)
        # Format without exc_info so the base class does not print the exception's message.
        saved = record.exc_info, record.exc_text
        record.exc_info, record.exc_text = None, None
        try:
            line = super().format(record)
        finally:
            record.exc_info, record.exc_text = saved
        if summary:
            exc_type, stack = summary
            line += "\n" + "\n".join(f"  at {frame}" for frame in stack) + f"\n{exc_type}"
        return line


def _exception_class(exc_repr: object, default: str) -> str:
    """The class name at the start of an exception's repr ("SMTPException('...')"), without the message."""
    match = _EXCEPTION_CLASS_IN_REPR.search(str(exc_repr))
    return match.group(1).rsplit(".", 1)[-1] if match else default


def _scrub_arg(value: object) -> object:
    if isinstance(value, BaseException):
        return type(value).__name__
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return "[redacted]"


class CeleryTaskPrivacyFilter(logging.Filter):
    """Rewrites Celery's task records to name, id, outcome and exception class: no args, results or messages.

    A record may pass through it twice: `dictConfig` adds a logger's filters without removing those already there,
    and a worker applies LOGGING once when Django starts and again on Celery's setup_logging. The rewrite is
    therefore done once per record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "task_privacy_applied", False):
            return True
        record.task_privacy_applied = True
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _value, tb = record.exc_info
            record.exception_type = exc_type.__name__
            record.exception_stack = stack_of(tb)
            record.exc_info = None
            record.exc_text = None
        data = getattr(record, "data", None)
        if isinstance(data, dict) and "id" in data and "name" in data:
            self._rewrite_task_record(record, data)
        elif isinstance(record.args, tuple):
            record.args = tuple(_scrub_arg(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _scrub_arg(value) for key, value in record.args.items()}
        return True

    def _rewrite_task_record(self, record: logging.LogRecord, data: dict) -> None:
        name, task_id = str(data["name"]), str(data["id"])
        record.task_name, record.task_id = name, task_id
        if "return_value" in data:
            outcome = f"succeeded in {float(data.get('runtime') or 0):.3f}s"
        elif "exc" in data:
            description = str(data.get("description") or "retry")
            exception_type = getattr(record, "exception_type", None) or _exception_class(
                data["exc"], default="Retry" if description == "retry" else "Exception"
            )
            record.exception_type = exception_type
            outcome = f"{description}: {exception_type}"
        else:
            outcome = str(data.get("description") or "received")
        record.msg = "Task %s[%s] %s"
        record.args = (name, task_id, outcome)
        record.data = {"id": task_id, "name": name}
