"""The appointment-request inbox in the admin (wagtail-modeladmin): list, filters, search, status, CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from booking.admin_views import escape_csv_formula
from booking.models import AppointmentRequest
from booking.services import RequestData, submit_appointment_request
from tests.booking_factories import make_contact_page

pytestmark = pytest.mark.django_db

INDEX = "booking_appointmentrequest_modeladmin_index"
EDIT = "booking_appointmentrequest_modeladmin_edit"
INSPECT = "booking_appointmentrequest_modeladmin_inspect"
CREATE = "booking_appointmentrequest_modeladmin_create"


@pytest.fixture
def page(home_page):
    return make_contact_page(home_page)


def submit(page, **fields) -> AppointmentRequest:
    data = {"name": "Ana Lima", "email": "ana@example.org", "consent": True, **fields}
    return submit_appointment_request(page=page, data=RequestData(**data))


def test_inbox_lists_date_name_contact_and_status(admin_client, page):
    submit(page, name="Ana Lima", phone="+1 603 555 0100")
    html = admin_client.get(reverse(INDEX)).content.decode()
    assert "Ana Lima" in html
    assert "ana@example.org / +1 603 555 0100" in html
    assert "New" in html
    assert "confirmation: pending" in html


def test_inbox_filters_by_status_and_searches_by_name(admin_client, page):
    submit(page, name="Ana Lima")
    replied = submit(page, name="Ben Ortiz", email="ben@example.org")
    replied.status = AppointmentRequest.Status.REPLIED
    replied.save()
    by_status = admin_client.get(reverse(INDEX), {"status__exact": "replied"}).content.decode()
    assert "Ben Ortiz" in by_status
    assert "Ana Lima" not in by_status
    by_search = admin_client.get(reverse(INDEX), {"q": "lima"}).content.decode()
    assert "Ana Lima" in by_search
    assert "Ben Ortiz" not in by_search


def test_counselor_changes_the_status_and_nothing_else(admin_client, page):
    request = submit(page, message="original words")
    response = admin_client.post(
        reverse(EDIT, args=[request.pk]), {"status": "replied", "message": "changed", "name": "Someone else"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.message, request.name) == ("replied", "original words", "Ana Lima")


def test_requests_cannot_be_created_in_the_admin(admin_client, page):
    response = admin_client.get(reverse(CREATE))
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's "permission denied"
    assert reverse(CREATE) not in admin_client.get(reverse(INDEX)).content.decode()


def test_inbox_escapes_html_a_visitor_wrote(admin_client, page):
    hostile = "<script>alert('x')</script>"
    request = submit(page, name="<b>Bold</b> Name", message=hostile)
    for url in (reverse(INDEX), reverse(EDIT, args=[request.pk]), reverse(INSPECT, args=[request.pk])):
        html = admin_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<b>Bold</b>" not in html
        assert "&lt;b&gt;Bold&lt;/b&gt; Name" in html
    inspect_html = admin_client.get(reverse(INSPECT, args=[request.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in inspect_html


def test_inbox_needs_a_login(client, page):
    assert client.get(reverse(INDEX)).status_code == 302


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
