"""Capture what the production console handler prints (JSON lines with the request id)."""

import io
import json
import logging
from collections.abc import Iterator

import pytest

from site_project.log_format import JsonFormatter
from site_project.request_id import RequestIdFilter


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The production console handler (JSON, request id filter) on the root logger, into a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous_level)


def log_entries(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
