"""Builders for booking tests: office hours, a contact page with the demo's form, valid form posts."""

from __future__ import annotations

import time as clock
from datetime import date, time

from booking.demo import DEMO_WEEKLY, FORM_FIELDS
from booking.models import ContactFormField, ContactPage, HoursException, OfficeHours, WeeklyRange
from booking.spam import make_started_token
from home.models import PracticeSettings
from tests.factories import publish


def make_office_hours(
    *,
    weekly=DEMO_WEEKLY,
    exceptions: list[dict] | None = None,
    live: bool = True,
    **fields,
) -> OfficeHours:
    fields.setdefault("name", "Office hours")
    fields.setdefault("timezone", "America/New_York")
    hours = OfficeHours(**fields)
    hours.weekly_ranges = [
        WeeklyRange(weekday=day, opens=opens, closes=closes) for day, opens, closes in weekly
    ]
    hours.exceptions = [HoursException(**exception) for exception in exceptions or []]
    hours.live = live
    hours.save()
    revision = hours.save_revision()
    if live:
        revision.publish()
    return hours


def exception(
    day: date, *, closed: bool = True, opens: time | None = None, closes: time | None = None, note=""
):
    return {"date": day, "closed": closed, "opens": opens, "closes": closes, "note": note}


def make_contact_page(parent, *, form_fields=FORM_FIELDS, **fields) -> ContactPage:
    fields.setdefault("title", "Contact")
    fields.setdefault("slug", "contact")
    fields.setdefault("notification_email", "counselor@practice.example")
    page = ContactPage(**fields)
    page.form_fields = [ContactFormField(sort_order=i, **field) for i, field in enumerate(form_fields)]
    parent.add_child(instance=page)
    return publish(page)


def started_token(seconds_ago: float = 30) -> str:
    return make_started_token(clock.time() - seconds_ago)


def contact_post(**overrides) -> dict:
    """A valid post for the demo form; pass a field's clean name to change it, or None to leave it out."""
    data = {
        "your_name": "Ana Lima",
        "email_address": "ana@example.org",
        "phone": "+1 603 555 0100",
        "how_should_we_contact_you": "Email",
        "preferred_times": "Weekday mornings",
        "short_message": "I would like to talk about stress at work.",
        "i_agree_to_be_contacted_about_my_request": "on",
        "website": "",
        "form_started": started_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_practice_details(site, **overrides) -> PracticeSettings:
    """The practice's contact details as the booking tests expect them; keyword arguments override a field."""
    practice = PracticeSettings.for_site(site)
    values = {
        "practice_name": "Willow Test Counseling",
        "email": "hello@practice.example",
        "phone": "(603) 555-0142",
        "address": "24 Alder Street",
        **overrides,
    }
    for name, value in values.items():
        setattr(practice, name, value)
    practice.save()
    return practice
