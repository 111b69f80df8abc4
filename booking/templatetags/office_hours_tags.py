"""`{% office_hours %}`: the practice's hours anywhere (the home page's block, the footer).

Shows the weekly hours with today marked (the footer shows only the status line when the page's content
already showed the table), a line such as "Open now, until 18:00" or "Closed, opens Thursday 9:00"
computed in the office's timezone with the day's exception applied, upcoming changes, and (with `jsonld=True`,
which the footer sets so every page carries it once) schema.org openingHoursSpecification as a JSON-LD data block.
Pass `now` to render another moment (tests, previews). It tells the page cache (`home.page_cache`) to expire the
page when the status line or the "today" mark would change.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.db import DatabaseError
from django.utils import timezone
from django.utils.text import slugify

from booking.models import OfficeHours
from home.frame_cache import remember
from home.json_ld import json_ld_script
from home.page_cache import limit_cache_until

register = template.Library()
logger = logging.getLogger(__name__)


def _current_hours(context) -> OfficeHours | None:
    """Read once per page-cache generation (publishing the hours starts a new one), kept on the request."""
    request = context.get("request")
    if request is not None and hasattr(request, "_booking_office_hours"):
        return request._booking_office_hours
    try:
        hours = remember("office-hours", OfficeHours.current)
    except DatabaseError:
        # The footer is on every page, error pages included: a database outage must not break those.
        logger.warning("Office hours unavailable: database error")
        return None
    if request is not None:
        request._booking_office_hours = hours
    return hours


# What people in North America call their zone, by its standard-time abbreviation (EST also covers Detroit,
# Toronto and Indiana's zones; MST covers Phoenix, which keeps Mountain Time all year).
NORTH_AMERICAN_ZONES = {
    "NST": "Newfoundland Time",
    "AST": "Atlantic Time",
    "EST": "Eastern Time",
    "CST": "Central Time",
    "MST": "Mountain Time",
    "PST": "Pacific Time",
    "AKST": "Alaska Time",
    "HST": "Hawaii Time",
}
NORTH_AMERICAN_PREFIXES = ("America/", "US/", "Canada/", "Pacific/Honolulu")
MIDWINTER = datetime(2025, 1, 15, 12)


@register.filter
def timezone_label(name: str) -> str:
    """A zone as visitors say it: "America/New_York" -> "Eastern Time", "Europe/Berlin" -> "Berlin time".

    North American zones are named by their standard time (read in January, so daylight saving does not change
    the label); elsewhere the zone's city is clearer than an abbreviation such as CET or IST.
    """
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return name
    if name.startswith(NORTH_AMERICAN_PREFIXES):
        label = NORTH_AMERICAN_ZONES.get(MIDWINTER.replace(tzinfo=zone).tzname() or "")
        if label:
            return label
    return f"{name.rsplit('/', 1)[-1].replace('_', ' ')} time"


def opening_hours_json_ld(hours: OfficeHours, now: datetime, context) -> str:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "ProfessionalService",
        "openingHoursSpecification": hours.schedule().opening_hours_specification(now),
    }
    site_settings = context.get("settings")
    if site_settings:
        practice = site_settings["home"]["PracticeSettings"]
        data["name"] = practice.practice_name
        if practice.phone:
            data["telephone"] = practice.phone
        if practice.email:
            data["email"] = practice.email
    return json_ld_script(data)


@register.inclusion_tag("booking/includes/office_hours.html", takes_context=True)
def office_hours(
    context,
    heading: str = "Office hours",
    variant: str = "block",
    jsonld: bool = False,
    now: datetime | None = None,
    hours: OfficeHours | None = None,
) -> dict:
    hours = hours or _current_hours(context)
    if hours is None:
        return {"hours": None}
    request = context.get("request")
    # The footer's copy on a page whose content already shows the table: the status line is enough there.
    compact = variant == "footer" and getattr(request, "_booking_hours_table_shown", False)
    if request is not None and variant != "footer":
        request._booking_hours_table_shown = True
    now = now or context.get("office_hours_now") or timezone.now()
    schedule = hours.schedule()
    local = schedule.local(now)
    status = schedule.status(now)
    # A cached copy of the page must not outlive the status line or the "today" mark.
    next_midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=schedule.timezone)
    changes = [moment for moment in (status.until, status.next_opening, next_midnight) if moment]
    limit_cache_until(request, min(changes))
    return {
        "hours": hours,
        "compact": compact,
        "heading": heading,
        "heading_id": f"office-hours-{variant}-{slugify(heading) or 'heading'}",
        "variant": variant,
        "status": status,
        "week": schedule.week(now),
        "exceptions": schedule.upcoming_exceptions(now, days=30),
        "today": local.date(),
        "timezone_label": timezone_label(hours.timezone),
        "json_ld": opening_hours_json_ld(hours, now, context) if jsonld else "",
    }
