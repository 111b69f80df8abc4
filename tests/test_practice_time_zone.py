"""The practice's time zone (settings.TIME_ZONE, America/New_York by default) governs the admin, every email
and default dates. Each test runs at 00:24 UTC on Wednesday, December 2, which is still Tuesday, 19:24 in New
York: a UTC slip shows as the wrong day."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from blog.models import BlogPage
from booking.emails import NOTIFICATION, build_message
from booking.services import RequestData, submit_appointment_request
from tests.blog_factories import make_author
from tests.booking_factories import make_contact_page, make_office_hours, make_practice_details

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(__file__).resolve().parent.parent
EVENING = datetime.datetime(2026, 12, 2, 0, 24, tzinfo=datetime.UTC)


@pytest.fixture
def at_evening():
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        yield EVENING


def practice_zone_probe(**env: str) -> subprocess.CompletedProcess:
    """Start Django with the dev settings in a fresh process and print the zones it uses."""
    probe = (
        "import django; from django.conf import settings; django.setup(); "
        "from django.utils import timezone; "
        "print(settings.TIME_ZONE, settings.CELERY_TIMEZONE, timezone.get_current_timezone_name())"
    )
    clean = {key: value for key, value in os.environ.items() if key != "TIME_ZONE"}
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "site_project.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_practice_zone_defaults_to_new_york():
    result = practice_zone_probe()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["America/New_York"] * 3


def test_the_practice_zone_comes_from_the_environment():
    result = practice_zone_probe(TIME_ZONE="America/Denver")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["America/Denver"] * 3


def test_an_unknown_zone_stops_the_start_with_a_clear_error():
    result = practice_zone_probe(TIME_ZONE="Mars/Olympus_Mons")
    assert result.returncode != 0
    assert "Incorrect timezone setting: Mars/Olympus_Mons" in result.stderr


def test_a_post_written_on_tuesday_evening_defaults_to_tuesday(at_evening, settings):
    settings.TIME_ZONE = "America/New_York"
    assert BlogPage().date == datetime.date(2026, 12, 1)


def test_a_post_default_date_follows_a_practice_in_another_zone(at_evening, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    assert BlogPage().date == datetime.date(2026, 12, 2)


def test_the_counselors_notification_shows_the_local_time_and_zone(home_page, site, at_evening, settings):
    settings.TIME_ZONE = "America/New_York"
    make_practice_details(site)
    make_office_hours()
    page = make_contact_page(home_page)
    request = submit_appointment_request(
        page=page, data=RequestData(name="Ana Lima", email="ana@example.org", message="Hello", consent=True)
    )
    assert request.submit_time == EVENING

    with timezone.override("Asia/Tokyo"):
        message = build_message(request, NOTIFICATION, "counselor@practice.example")

    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    for text in (message.body, html):
        assert "Tuesday, December 1, 2026, 7:24 PM EST" in text
        assert "Wednesday" not in text and "UTC" not in text and "00:24" not in text


def test_the_admin_shows_times_in_the_practice_zone(client, blog_index, settings):
    settings.TIME_ZONE = "America/New_York"
    owner = get_user_model().objects.create_superuser(
        "owner", "owner@practice.example", "a-long-test-password"
    )
    post = BlogPage(title="Evening thoughts", slug="evening-thoughts", summary="A note.", date=EVENING.date())
    post.authors = [make_author()]
    blog_index.add_child(instance=post)
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        post.save_revision(user=owner, log_action=True)
    client.force_login(owner)

    html = client.get(f"/admin/pages/{post.pk}/history/").content.decode()

    assert 'data-w-tooltip-content-value="Dec. 1, 2026, 7:24 p.m."' in html
    assert 'datetime="2026-12-01T19:24:00-05:00"' in html
