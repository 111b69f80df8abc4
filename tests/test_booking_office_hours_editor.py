"""The office-hours editor as the counselor uses it: a short, searchable time zone choice with the practice's
zone first (any IANA name still accepted), Publish as the main button with no review, and the booking admin
stylesheet that keeps the "Closes" column in view."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowContentType, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from booking.forms.time_zones import TimeZoneInput, time_zone_suggestions
from booking.models import OfficeHours
from tests.booking_factories import make_office_hours

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_booking_officehours:add"
EDIT = "wagtailsnippets_booking_officehours:edit"


def publish_post(timezone: str) -> dict:
    return nested_form_data(
        {
            "name": "Office hours",
            "timezone": timezone,
            "note": "",
            "weekly_ranges": inline_formset([{"weekday": "1", "opens": "09:00", "closes": "17:00"}]),
            "exceptions": inline_formset([]),
        }
    ) | {"action-publish": "publish"}


def test_suggestions_are_short_with_the_practice_zone_first_then_north_america_and_europe(settings):
    settings.TIME_ZONE = "America/Chicago"
    names = [name for name, _ in time_zone_suggestions()]
    assert names[0] == "America/Chicago"
    assert time_zone_suggestions()[0][1] == "The practice's time zone: Central Time (Chicago)"
    assert len(names) == len(set(names)) < 40
    assert {"America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin"} <= set(names)


def test_a_practice_zone_outside_the_common_list_still_comes_first(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    assert time_zone_suggestions()[0] == ("Asia/Tokyo", "The practice's time zone")


def test_the_widget_is_a_text_input_with_a_datalist_and_escapes_its_value():
    html = TimeZoneInput().render("timezone", '"><script>x</script>', {"id": "id_timezone"})
    assert 'list="id_timezone-suggestions"' in html
    assert '<datalist id="id_timezone-suggestions">' in html
    assert "<script>" not in html
    assert "<select" not in html


def test_editor_offers_the_short_list_instead_of_every_zone(admin_client):
    html = admin_client.get(reverse(ADD)).content.decode()
    datalist = re.search(r'<datalist id="id_timezone-suggestions">(.*?)</datalist>', html, re.S).group(1)
    assert 10 < datalist.count("<option") < 40
    assert "Asia/Kathmandu" not in html


def test_any_iana_zone_can_be_typed_and_a_made_up_one_is_refused(admin_client):
    response = admin_client.post(reverse(ADD), publish_post("Asia/Kathmandu"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OfficeHours.objects.get().timezone == "Asia/Kathmandu"
    refused = admin_client.post(reverse(ADD), publish_post("Europe/Atlantis"))
    assert refused.status_code == 200
    assert "“Europe/Atlantis” is not a time zone name." in refused.content.decode()
    assert OfficeHours.objects.count() == 1


def test_new_office_hours_start_in_the_practice_zone(settings):
    settings.TIME_ZONE = "America/Denver"
    assert OfficeHours().timezone == "America/Denver"


def test_publish_is_the_main_button_and_there_is_no_submit_for_review(admin_client):
    hours = make_office_hours()
    html = admin_client.get(reverse(EDIT, args=[hours.pk])).content.decode()
    footer = html[html.index('name="action-publish"') - 400 :]
    assert footer.index('name="action-publish"') < footer.index("Save draft")
    assert "action-submit" not in html
    assert "Submit to" not in html


def test_the_counselor_publishes_hours_directly(client):
    from django.contrib.auth.models import Group

    counselor = User.objects.create_user("counselor-user", password="not-used-here-2026")
    counselor.groups.add(Group.objects.get(name="Counselor"))
    client.force_login(counselor)
    response = client.post(reverse(ADD), publish_post("America/New_York"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OfficeHours.objects.get().live


def test_migration_takes_office_hours_out_of_the_workflow_and_cancels_waiting_reviews(admin_user):
    hours = make_office_hours()
    office_hours_type = ContentType.objects.get_for_model(OfficeHours)
    workflow = Workflow.objects.get(name="Review before publishing")
    WorkflowContentType.objects.create(content_type=office_hours_type, workflow=workflow)
    state = WorkflowState.objects.create(
        content_type=office_hours_type,
        base_content_type=office_hours_type,
        object_id=str(hours.pk),
        workflow=workflow,
        status=WorkflowState.STATUS_IN_PROGRESS,
        requested_by=admin_user,
    )
    task_state = TaskState.objects.create(
        workflow_state=state,
        revision=hours.latest_revision,
        task=workflow.workflow_tasks.first().task,
        status=TaskState.STATUS_IN_PROGRESS,
    )
    state.current_task_state = task_state
    state.save()

    migration = importlib.import_module("booking.migrations.0004_office_hours_published_directly")
    migration.leave_the_workflow(apps, None)

    assert not WorkflowContentType.objects.filter(content_type=office_hours_type).exists()
    state.refresh_from_db()
    task_state.refresh_from_db()
    assert (state.status, task_state.status) == ("cancelled", "cancelled")
    assert task_state.finished_at is not None


def test_admin_pages_load_the_booking_stylesheet(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/booking/admin\.css[^"]*">', html)
