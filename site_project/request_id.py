"""A request id for every request: taken from the proxy's X-Request-ID when it is sane, made up otherwise.

It is kept in a context variable so log records (through `RequestIdFilter`) and Celery tasks enqueued while
serving the request can carry it, and it is echoed in the X-Request-ID response header.
"""

import re
import uuid
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_ID.match(offered) else new_request_id()
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter:
    """A logging filter that stamps every record with the current request id."""

    def filter(self, record) -> bool:
        record.request_id = current_request_id.get()
        return True
