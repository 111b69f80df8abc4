"""The counselor's inbox and office-hours editor in Chromium at 1280x800: the dashboard counts new requests, the
list shows whom to call first in local time, a request reads on one screen with working call and mail links and
moves to "contacted" in one click, and the office-hours editor keeps its "Closes" column in view with the preview
panel open.

Screenshots of each step go to SHOTS_DIR when it is set (they are for looking at, never kept in the repo).
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from booking.models import AppointmentRequest, ContactPage, OfficeHours
from booking.services import RequestData, submit_appointment_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "practice-demo-2026"
SHOTS_DIR = os.environ.get("SHOTS_DIR", "")
VIEWPORT = {"width": 1280, "height": 800}
# 19:24 on Tuesday 1 December in New York: Wednesday 00:24 in UTC.
TUESDAY_EVENING_UTC = datetime(2026, 12, 2, 0, 24, tzinfo=UTC)


def shoot(page, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS_DIR) / f"{name}.png"), full_page=False)


def requests_from_visitors() -> AppointmentRequest:
    page = ContactPage.objects.get()
    people = [
        (
            "Ana Lima",
            "ana.lima.longer-address@example.org",
            "+1 (603) 555-0100",
            "Phone call",
            "Weekday evenings",
        ),
        ("Ben Ortiz", "ben@example.org", "", "Email", "Any time"),
        ("Chloé Martin", "chloe@example.org", "603 555 0199", "Text message", "Mornings before 10"),
    ]
    created = []
    for hours_before, (name, email, phone, method, times) in enumerate(people):
        request = submit_appointment_request(
            page=page,
            data=RequestData(
                name=name,
                email=email,
                phone=phone,
                preferred_contact=method,
                preferred_times=times,
                message="I would like to talk about sleep.",
                consent=True,
            ),
        )
        AppointmentRequest.objects.filter(pk=request.pk).update(
            submit_time=TUESDAY_EVENING_UTC - timedelta(hours=3 * hours_before)
        )
        created.append(request)
    return created[0]


def sign_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def test_counselor_sees_counts_reads_a_request_and_marks_it_contacted(
    demo_site, chromium, live_server, settings
):
    settings.TIME_ZONE = "America/New_York"
    newest = requests_from_visitors()
    context = chromium.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "counselor")

    page.get_by_text("New appointment requests (3)").wait_for()
    assert page.get_by_role("link", name="Ana Lima").is_visible()
    assert "Requests (3 new)" in page.locator("aside, nav").first.inner_text()
    shoot(page, "1-dashboard")

    page.goto("/admin/appointment-requests/")
    table = page.locator("table.listing")
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert headers[:6] == ["Sent", "Name", "Prefers", "Phone", "Preferred times", "Status"]
    first_row = table.locator("tbody tr").first
    assert "Tue 1 Dec 2026, 7:24 PM" in first_row.inner_text()
    assert "Ana Lima" in first_row.inner_text()
    assert first_row.get_by_role("link", name="+1 (603) 555-0100").get_attribute("href") == "tel:+16035550100"
    shoot(page, "2-inbox-list")

    page.get_by_role("link", name="Ana Lima").click()
    page.get_by_role("heading", name="Status: New").wait_for()
    email = page.get_by_role("link", name="ana.lima.longer-address@example.org")
    assert email.get_attribute("href") == "mailto:ana.lima.longer-address@example.org"
    line_height = email.evaluate("element => parseFloat(getComputedStyle(element).lineHeight) || 24")
    assert email.bounding_box()["height"] < 1.5 * line_height  # on one line, not wrapped mid-word
    assert page.get_by_role("link", name="+1 (603) 555-0100").get_attribute("href") == "tel:+16035550100"
    details = page.locator(".booking-request__details").inner_text()
    assert "Agreed to be contacted\nYes" in details
    assert "Tue 1 Dec 2026, 7:24 PM" in details
    assert "True" not in details
    shoot(page, "3-request")

    page.get_by_role("button", name="Mark as contacted").click()
    page.get_by_role("heading", name="Status: Contacted").wait_for()
    assert page.get_by_text("Ana Lima's request is marked as contacted.").is_visible()
    shoot(page, "4-request-contacted")
    newest.refresh_from_db()
    assert newest.status == AppointmentRequest.Status.CONTACTED

    page.goto("/admin/")
    page.get_by_text("New appointment requests (2)").wait_for()
    context.close()


def test_office_hours_editor_keeps_closes_in_view_with_the_preview_open(demo_site, chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "counselor")
    hours = OfficeHours.objects.get()
    page.goto(f"/admin/snippets/booking/officehours/edit/{hours.pk}/")
    toggle = page.locator('[data-side-panel-toggle="preview"]')
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.frame_locator("#w-preview-iframe").get_by_role("heading", name=hours.name).first.wait_for()
    closes = page.locator("#id_weekly_ranges-0-closes")
    closes.scroll_into_view_if_needed()
    shoot(page, "5-office-hours-preview")
    box = closes.bounding_box()
    panel_left = page.locator("[data-side-panel='preview'], .form-side").first.bounding_box()["x"]
    assert box["width"] >= 80
    assert box["x"] + box["width"] <= panel_left
    assert page.locator("button[name='action-publish']").first.is_visible()

    timezone_input = page.locator("#id_timezone")
    timezone_input.fill("")
    timezone_input.type("Chic")
    assert page.locator("#id_timezone-suggestions option[value='America/Chicago']").count() == 1
    shoot(page, "6-office-hours-time-zone")
    context.close()
