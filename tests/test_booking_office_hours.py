"""The OfficeHours snippet: admin validation, revisions and drafts, the template tag, the block and the footer."""

import json
import re
from datetime import UTC, date, datetime, time

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from booking.models import OfficeHours
from tests.booking_factories import exception, make_office_hours
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db

MONDAY_10_NY = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)  # Monday 10:00 in New York


def admin_post(ranges: list[dict], exceptions: list[dict] | None = None, **fields) -> dict:
    return nested_form_data(
        {
            "name": fields.get("name", "Office hours"),
            "timezone": fields.get("timezone", "America/New_York"),
            "note": fields.get("note", ""),
            "weekly_ranges": inline_formset(ranges),
            "exceptions": inline_formset(exceptions or []),
        }
    )


def add_url() -> str:
    return reverse("wagtailsnippets_booking_officehours:add")


def test_office_hours_keep_revisions_and_drafts_and_are_published_without_review():
    for mixin in (DraftStateMixin, RevisionMixin, LockableMixin):
        assert issubclass(OfficeHours, mixin)
    assert not issubclass(OfficeHours, WorkflowMixin)


def test_admin_creates_office_hours_with_several_ranges_a_day(admin_client):
    response = admin_client.post(
        add_url(),
        admin_post(
            [
                {"weekday": "0", "opens": "09:00", "closes": "12:00"},
                {"weekday": "0", "opens": "13:00", "closes": "17:00"},
            ],
            name="Main office",
        )
        | {"action-publish": "publish"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hours = OfficeHours.objects.get(name="Main office")
    assert hours.live
    assert [(r.weekday, r.opens, r.closes) for r in hours.weekly_ranges.all()] == [
        (0, time(9), time(12)),
        (0, time(13), time(17)),
    ]
    assert hours.revisions.count() == 1


def test_admin_refuses_a_range_that_ends_before_it_starts(admin_client):
    response = admin_client.post(
        add_url(), admin_post([{"weekday": "1", "opens": "17:00", "closes": "09:00"}])
    )
    assert response.status_code == 200
    assert "The closing time (9:00) must be later than the opening time (17:00)" in response.content.decode()
    assert not OfficeHours.objects.exists()


def test_admin_refuses_overlapping_ranges_on_the_same_day(admin_client):
    response = admin_client.post(
        add_url(),
        admin_post(
            [
                {"weekday": "2", "opens": "09:00", "closes": "13:00"},
                {"weekday": "2", "opens": "12:00", "closes": "15:00"},
                {"weekday": "3", "opens": "12:00", "closes": "15:00"},
            ]
        ),
    )
    assert response.status_code == 200
    assert "Wednesday 12:00–15:00 overlaps 9:00–13:00" in response.content.decode()
    assert not OfficeHours.objects.exists()


def test_admin_refuses_an_unknown_timezone_and_two_exceptions_on_one_date(admin_client):
    response = admin_client.post(
        add_url(),
        admin_post(
            [{"weekday": "0", "opens": "09:00", "closes": "12:00"}],
            exceptions=[
                {"date": "2026-12-24", "closed": "on", "opens": "", "closes": "", "note": ""},
                {"date": "2026-12-24", "closed": "", "opens": "09:00", "closes": "11:00", "note": ""},
            ],
            timezone="Mars/Olympus_Mons",
        ),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Mars/Olympus_Mons" in content
    assert "December 24, 2026 already has an exception" in content
    assert not OfficeHours.objects.exists()


def test_an_exception_with_changed_hours_needs_both_times(admin_client):
    response = admin_client.post(
        add_url(),
        admin_post(
            [{"weekday": "0", "opens": "09:00", "closes": "12:00"}],
            exceptions=[{"date": "2026-12-24", "closed": "", "opens": "09:00", "closes": "", "note": ""}],
        ),
    )
    assert "Give the closing time, or tick “closed all day”." in response.content.decode()


def test_a_saved_draft_does_not_change_the_hours_the_site_shows(admin_client, home_page):
    hours = make_office_hours(note="Evening sessions by request")
    edit_url = reverse("wagtailsnippets_booking_officehours:edit", args=[hours.pk])
    ranges = [
        {"id": str(r.pk), "weekday": str(r.weekday), "opens": r.opens.strftime("%H:%M"), "closes": "10:00"}
        for r in hours.weekly_ranges.all()
    ]
    data = admin_post(ranges, note="Closed for renovation")
    data["weekly_ranges-INITIAL_FORMS"] = str(len(ranges))
    response = admin_client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    hours.refresh_from_db()
    assert hours.note == "Evening sessions by request"
    assert hours.has_unpublished_changes
    assert hours.get_latest_revision_as_object().note == "Closed for renovation"
    page = admin_client.get("/").content.decode()
    assert "Evening sessions by request" in page


def render(template: str, **context) -> str:
    request = RequestFactory().get("/")
    return Template("{% load office_hours_tags %}" + template).render(
        Context({"request": request, **context})
    )


def test_tag_marks_today_and_says_open_now():
    make_office_hours()
    html = render("{% office_hours now=now %}", now=MONDAY_10_NY)
    assert "Open now, until 18:00" in html
    today_rows = re.findall(r'<tr class="is-today" aria-current="date">\s*<th scope="row">(\w+)', html)
    assert today_rows == ["Monday"]
    assert "Times are in Eastern Time." in html
    assert "application/ld+json" not in html


def test_tag_applies_todays_exception_and_lists_it():
    make_office_hours(exceptions=[exception(date(2026, 6, 1), note="Staff training")])
    html = render("{% office_hours now=now %}", now=MONDAY_10_NY)
    assert "Closed, opens Tuesday 9:00" in html
    assert "Monday, June 1</time>: closed (Staff training)" in html


def test_tag_renders_nothing_without_published_office_hours():
    make_office_hours(live=False)
    assert render("{% office_hours now=now %}", now=MONDAY_10_NY).strip() == ""


def test_footer_carries_opening_hours_json_ld(client, home_page):
    make_office_hours(note="Evening sessions by request")
    html = client.get("/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["https://schema.org/Thursday", "https://schema.org/Friday"],
        "opens": "09:00",
        "closes": "15:00",
    } in data["openingHoursSpecification"]
    assert "Evening sessions by request" in html


def test_json_ld_cannot_be_closed_early_by_a_name():
    make_office_hours()
    request = RequestFactory().get("/")

    class Practice:
        practice_name = "</script><script>alert(1)</script>"
        phone = ""
        email = ""

    html = Template("{% load office_hours_tags %}{% office_hours jsonld=True now=now %}").render(
        Context(
            {"request": request, "now": MONDAY_10_NY, "settings": {"home": {"PracticeSettings": Practice()}}}
        )
    )
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_office_hours_block_shows_the_hours_on_a_standard_page(client, home_page):
    make_office_hours()
    make_standard_page(home_page, title="Visit", body=[("office_hours", {"heading": "When we are in"})])
    html = client.get("/visit/").content.decode()
    assert '<h2 id="office-hours-block-when-we-are-in">When we are in</h2>' in html
    assert "Saturday" in html


def test_preview_of_office_hours_renders(admin_client, home_page):
    hours = make_office_hours(name="Summer hours")
    url = reverse("wagtailsnippets_booking_officehours:preview_on_edit", args=[hours.pk])
    data = admin_post(
        [
            {"id": str(r.pk), "weekday": str(r.weekday), "opens": "09:00", "closes": "11:00"}
            for r in hours.weekly_ranges.all()
        ],
        name="Summer hours",
    )
    data["weekly_ranges-INITIAL_FORMS"] = str(hours.weekly_ranges.count())
    assert admin_client.post(url, data).json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Summer hours" in html
    assert "9:00–11:00" in html


def test_tag_tells_the_page_cache_to_expire_when_the_status_changes():
    make_office_hours()
    request = RequestFactory().get("/")
    Template("{% load office_hours_tags %}{% office_hours now=now %}").render(
        Context({"request": request, "now": MONDAY_10_NY})
    )
    assert request.page_cache_valid_until == datetime(2026, 6, 1, 22, 0, tzinfo=UTC)  # 18:00 in New York
