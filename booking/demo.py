"""Demo content owned by `booking`: the office hours, the contact page with its form, the home page's button
and the blog posts' invitation, which both lead to the contact page.

Runs after `home.demo` (INSTALLED_APPS order). Each step looks for what it would create and leaves existing
content alone, so a second run changes nothing.
"""

from __future__ import annotations

from datetime import time
from typing import TextIO

from booking.forms.contact import Purpose
from booking.models import ContactFormField, ContactPage, OfficeHours, WeeklyRange
from home.models import HomePage, PracticeSettings

DEMO_HOURS_NAME = "Office hours"
DEMO_WEEKLY = [
    *((day, time(9), time(18)) for day in (0, 1, 2)),
    *((day, time(9), time(15)) for day in (3, 4)),
    (5, time(9), time(12)),
]
CONTACT_SLUG = "contact"
HERO_BUTTON_TEXT = "Request an appointment"

CONTACT_INTRO = [
    (
        "paragraph",
        "<p>Use this form to ask for a first appointment or a free fifteen-minute phone call. Tell us how to "
        "reach you and when suits you; the counselor replies personally, usually within one working day.</p>",
    ),
]
THANK_YOU_BODY = [
    (
        "paragraph",
        "<p>Thank you for reaching out; taking this step can be hard. We will get back to you by your preferred "
        "contact method to find a first appointment that suits you.</p>",
    ),
]
FORM_FIELDS = [
    {"label": "Your name", "field_type": "singleline", "purpose": Purpose.NAME, "required": True},
    {
        "label": "Email address",
        "field_type": "email",
        "purpose": Purpose.EMAIL,
        "required": True,
        "help_text": "We send a confirmation here.",
    },
    {"label": "Phone", "field_type": "singleline", "purpose": Purpose.PHONE, "required": False},
    {
        "label": "How should we contact you?",
        "field_type": "radio",
        "purpose": Purpose.PREFERRED_CONTACT,
        "required": True,
        "choices": "Email\nPhone call\nText message",
        "default_value": "Email",
    },
    {
        "label": "Preferred times",
        "field_type": "singleline",
        "purpose": Purpose.PREFERRED_TIMES,
        "required": False,
        "help_text": "For example: weekday mornings, Thursday after 1 pm.",
    },
    {
        "label": "Short message",
        "field_type": "multiline",
        "purpose": Purpose.MESSAGE,
        "required": False,
        "help_text": "A line or two about what you are looking for. Please no clinical details.",
    },
    {
        "label": "I agree to be contacted about my request",
        "field_type": "checkbox",
        "purpose": Purpose.CONSENT,
        "required": True,
    },
]


def ensure_office_hours() -> OfficeHours:
    existing = OfficeHours.objects.order_by("pk").first()
    if existing:
        return existing
    hours = OfficeHours(name=DEMO_HOURS_NAME, timezone="America/New_York", note="Evening sessions by request")
    hours.weekly_ranges = [
        WeeklyRange(weekday=day, opens=opens, closes=closes) for day, opens, closes in DEMO_WEEKLY
    ]
    hours.save()
    hours.save_revision().publish()
    return hours


def ensure_contact_page(home: HomePage) -> ContactPage:
    existing = ContactPage.objects.child_of(home).filter(slug=CONTACT_SLUG).first()
    if existing:
        return existing
    page = ContactPage(
        title="Contact",
        slug=CONTACT_SLUG,
        show_in_menus=True,
        search_description="Request an appointment or a free phone call with Willow Bend Counseling.",
        intro=CONTACT_INTRO,
        thank_you_body=THANK_YOU_BODY,
        notification_email="hello@willowbend.example",
    )
    page.form_fields = [
        ContactFormField(sort_order=index, **field) for index, field in enumerate(FORM_FIELDS)
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_hero_button(home: HomePage, contact: ContactPage) -> None:
    """Point the hero's empty button at the contact page, through a new published revision."""
    home = home.get_latest_revision_as_object() if home.has_unpublished_changes else home
    changed = False
    for block in home.body:
        if (
            block.block_type == "hero"
            and not block.value.get("button_text")
            and not block.value.get("button_page")
        ):
            block.value["button_text"] = HERO_BUTTON_TEXT
            block.value["button_page"] = contact
            changed = True
    if changed:
        home.save_revision().publish()


def ensure_call_to_action_page(contact: ContactPage) -> None:
    """Let the invitation at the end of each blog post lead to the contact page, unless it leads elsewhere."""
    site = contact.get_site()
    if site is None:
        return
    practice = PracticeSettings.for_site(site)
    if practice.call_to_action_page_id is None:
        practice.call_to_action_page = contact
        practice.save(update_fields=["call_to_action_page"])


def load(*, stdout: TextIO, with_users: bool = False) -> None:
    home = HomePage.objects.first()
    if home is None:
        stdout.write("No home page: run home's demo first.")
        return
    hours = ensure_office_hours()
    contact = ensure_contact_page(home)
    ensure_hero_button(home, contact)
    ensure_call_to_action_page(contact)
    stdout.write(f"Booking: office hours “{hours.name}” and the contact page at {contact.url_path}.")
