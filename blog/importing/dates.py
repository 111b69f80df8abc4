"""Dates as feeds and exports write them, read into aware datetimes (None when absent or unreadable)."""

from __future__ import annotations

import datetime
import re
from email.utils import parsedate_to_datetime

from django.utils import timezone


def parse_rfc822(value: str) -> datetime.datetime | None:
    """RSS's `Tue, 02 Apr 2024 09:30:00 +0000`; None for WordPress's placeholder `30 Nov -0001`."""
    if re.search(r"\s-\d{4}\s", value):
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return _aware(parsed)


def parse_iso(value: str, *, assume_local: bool = False) -> datetime.datetime | None:
    """Atom's `2024-04-02T09:30:00Z`, and WordPress's `2024-04-02 09:30:00`.

    A time without an offset is UTC (WordPress's *_gmt fields), or with `assume_local` the practice's time.
    """
    value = value.strip()
    if not value or value.startswith("0000"):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return _aware(parsed, default=None if assume_local else datetime.UTC)


def _aware(value: datetime.datetime, default: datetime.tzinfo | None = None) -> datetime.datetime:
    if timezone.is_naive(value):
        return value.replace(tzinfo=default or timezone.get_current_timezone())
    return value
