"""The appointment-request inbox: a list to choose whom to call first, one page per request, one-click status,
filters, search and an export a spreadsheet cannot run."""

import csv
import importlib
import io
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import NoReverseMatch, reverse

from booking.admin_views import escape_csv_formula, tel_href
from booking.models import AppointmentRequest
from booking.services import RequestData, submit_appointment_request
from tests.booking_factories import make_contact_page

pytestmark = pytest.mark.django_db

INDEX = "appointment_requests:index"
INSPECT = "appointment_requests:inspect"
STATUS = "appointment_requests:status"
# 19:24 on Tuesday 1 December in New York is already Wednesday 2 December in UTC.
TUESDAY_EVENING_UTC = datetime(2026, 12, 2, 0, 24, tzinfo=UTC)


@pytest.fixture(autouse=True)
def practice_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"


@pytest.fixture
def page(home_page):
    return make_contact_page(home_page)


def submit(page, submitted: datetime | None = None, **fields) -> AppointmentRequest:
    data = {"name": "Ana Lima", "email": "ana@example.org", "consent": True, **fields}
    request = submit_appointment_request(page=page, data=RequestData(**data))
    if submitted is not None:
        AppointmentRequest.objects.filter(pk=request.pk).update(submit_time=submitted)
        request.refresh_from_db()
    return request


def staff_in(group_name: str) -> User:
    user = User.objects.create_user(f"{group_name.lower()}-user", password="not-used-here-2026")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_list_shows_local_time_name_contact_method_phone_times_and_status(admin_client, page):
    submit(
        page,
        submitted=TUESDAY_EVENING_UTC,
        phone="+1 (603) 555-0100",
        preferred_contact="Phone call",
        preferred_times="Weekday evenings",
    )
    html = admin_client.get(reverse(INDEX)).content.decode()
    assert "Tue 1 Dec 2026, 7:24 PM" in html
    assert "Ana Lima" in html
    assert "Phone call" in html
    assert 'href="tel:+16035550100"' in html
    assert "Weekday evenings" in html
    assert "New" in html
    assert "Wed 2 Dec" not in html


def test_list_is_newest_first(admin_client, page):
    submit(page, name="Older Person", submitted=datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    submit(page, name="Newer Person", submitted=datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    html = admin_client.get(reverse(INDEX)).content.decode()
    assert html.index("Newer Person") < html.index("Older Person")


def test_list_filters_by_status_and_searches_by_name(admin_client, page):
    submit(page, name="Ana Lima")
    contacted = submit(page, name="Ben Ortiz", email="ben@example.org")
    AppointmentRequest.objects.filter(pk=contacted.pk).update(status=AppointmentRequest.Status.CONTACTED)
    by_status = admin_client.get(reverse(INDEX), {"status": "contacted"}).content.decode()
    assert "Ben Ortiz" in by_status
    assert "Ana Lima" not in by_status
    by_search = admin_client.get(reverse(INDEX), {"q": "lima"}).content.decode()
    assert "Ana Lima" in by_search
    assert "Ben Ortiz" not in by_search


def test_request_page_has_local_time_call_and_mail_links_and_plain_labels(admin_client, page):
    request = submit(
        page,
        extra={"how_did_you_hear": ["A friend", "Search"]},
        submitted=TUESDAY_EVENING_UTC,
        email="ana.lima.longaddress@example.org",
        phone="603 555 0100",
        preferred_contact="Email",
        preferred_times="Mornings",
        message="First line\nSecond line",
    )
    html = admin_client.get(reverse(INSPECT, args=[request.pk])).content.decode()
    assert "Tue 1 Dec 2026, 7:24 PM" in html
    assert 'href="tel:6035550100"' in html
    assert 'href="mailto:ana.lima.longaddress@example.org"' in html
    assert "Agreed to be contacted</dt>\n            <dd>Yes</dd>" in html
    assert "True" not in html.split('class="booking-request"')[1]
    assert "First line<br>Second line" in html
    assert "A friend, Search" in html
    assert "Mark as contacted" in html


def test_one_click_moves_a_request_new_then_contacted_then_closed(admin_client, page):
    request = submit(page)
    url = reverse(STATUS, args=[request.pk])
    response = admin_client.post(url, {"status": "contacted"})
    assert response.status_code == 302
    assert response["Location"] == reverse(INSPECT, args=[request.pk])
    request.refresh_from_db()
    assert request.status == "contacted"
    page_html = admin_client.get(response["Location"]).content.decode()
    assert "Ana Lima&#x27;s request is marked as contacted." in page_html
    admin_client.post(url, {"status": "closed"})
    request.refresh_from_db()
    assert request.status == "closed"


def test_status_change_refuses_get_an_unknown_status_and_an_unknown_request(admin_client, page):
    request = submit(page)
    url = reverse(STATUS, args=[request.pk])
    assert admin_client.get(url, {"status": "closed"}).status_code == 405
    response = admin_client.post(url, {"status": "<script>"})
    assert response["Location"] == reverse(INSPECT, args=[request.pk])
    request.refresh_from_db()
    assert request.status == "new"
    assert (
        admin_client.post(reverse(STATUS, args=[request.pk + 999]), {"status": "closed"}).status_code == 404
    )


def test_status_change_needs_a_csrf_token(page):
    request = submit(page)
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("root", password="not-used-here-2026"))
    response = client.post(reverse(STATUS, args=[request.pk]), {"status": "closed"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "new"


def test_editors_cannot_read_or_change_requests(client, page):
    request = submit(page)
    client.force_login(staff_in("Editors"))
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    assert client.get(reverse(INSPECT, args=[request.pk])).status_code in (302, 403)
    client.post(reverse(STATUS, args=[request.pk]), {"status": "closed"})
    request.refresh_from_db()
    assert request.status == "new"
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "New appointment requests" not in dashboard
    assert "/admin/appointment-requests/" not in dashboard


def test_counselor_reads_and_moves_requests(client, page):
    request = submit(page)
    client.force_login(staff_in("Counselor"))
    assert client.get(reverse(INSPECT, args=[request.pk])).status_code == 200
    client.post(reverse(STATUS, args=[request.pk]), {"status": "contacted"})
    request.refresh_from_db()
    assert request.status == "contacted"


def test_requests_cannot_be_created_or_edited_in_the_admin(admin_client, page):
    request = submit(page)
    for name, args in (("appointment_requests:add", []), ("appointment_requests:edit", [request.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=args)
    assert admin_client.get("/admin/appointment-requests/new/").status_code == 404
    assert admin_client.get(f"/admin/appointment-requests/edit/{request.pk}/").status_code == 404


def test_inbox_escapes_html_a_visitor_wrote(admin_client, page):
    request = submit(page, name="<b>Bold</b> Name", message="<script>alert('x')</script>")
    for url in (reverse(INDEX), reverse(INSPECT, args=[request.pk])):
        html = admin_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<b>Bold</b>" not in html
        assert "&lt;b&gt;Bold&lt;/b&gt; Name" in html
    inspect_html = admin_client.get(reverse(INSPECT, args=[request.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in inspect_html


def test_inbox_needs_a_login(client, page):
    assert client.get(reverse(INDEX)).status_code == 302


def test_menu_item_counts_new_requests(admin_client, page):
    submit(page, name="One")
    submit(page, name="Two")
    closed = submit(page, name="Three")
    AppointmentRequest.objects.filter(pk=closed.pk).update(status="closed")
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Requests (2 new)" in html


def test_dashboard_panel_counts_new_requests_and_lists_the_newest_with_local_times(admin_client, page):
    for day in range(1, 8):
        submit(page, name=f"Person {day}", submitted=datetime(2026, 11, day, 1, 0, tzinfo=UTC))
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "New appointment requests (7)" in html
    assert "Person 7" in html and "Person 3" in html
    assert "Person 2" not in html
    assert "Fri 6 Nov 2026, 8:00 PM" in html  # 7 Nov 01:00 UTC
    assert "See all 7 new requests" in html


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("+1 (603) 555-0100", "tel:+16035550100"),
        ("603.555.0100 ext 2", "tel:60355501002"),
        ("call me", ""),
        ("javascript:alert(1)", "tel:1"),
    ],
)
def test_tel_links_carry_only_digits_and_a_leading_plus(phone, href):
    assert tel_href(phone) == href


def test_migration_renames_replied_to_contacted(page):
    request = submit(page)
    AppointmentRequest.objects.filter(pk=request.pk).update(status="replied")
    migration = importlib.import_module("booking.migrations.0003_status_contacted")
    migration.rename_status("replied", "contacted")(apps, None)
    request.refresh_from_db()
    assert request.status == "contacted"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1 603 555 0100", "'+1 603 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Ana = Lima", "Ana = Lima"),
        (True, True),
    ],
)
def test_csv_cells_a_spreadsheet_would_run_get_an_apostrophe(value, expected):
    assert escape_csv_formula(value) == expected


def test_csv_export_escapes_formulas_and_keeps_text_intact(admin_client, page):
    submit(page, name="=cmd|' /C calc'!A0", phone="+1 603 555 0100", message="Привет 👋 <b>hi</b>")
    response = admin_client.get(reverse(INDEX), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="appointment-requests.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["Name"] == "'=cmd|' /C calc'!A0"
    assert row["Phone"] == "'+1 603 555 0100"
    assert row["Message"] == "Привет 👋 <b>hi</b>"
    assert row["Email"] == "ana@example.org"


def test_wagtails_own_submissions_listing_shows_answers_and_exports_escaped_csv(admin_client, page):
    submit(page, name="@Ana", phone="=1+1", message="Hello")
    url = reverse("wagtailforms:list_submissions", args=[page.pk])
    html = admin_client.get(url).content.decode()
    assert "@Ana" in html
    response = admin_client.get(url, {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    row = next(csv.DictReader(io.StringIO(content)))
    assert row["Your name"] == "'@Ana"
    assert row["Phone"] == "'=1+1"
    assert row["Short message"] == "Hello"
