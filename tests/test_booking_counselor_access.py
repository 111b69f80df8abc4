"""The Counselor group can work the inbox and the office hours; office-hours edits go through review."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType

from booking.models import OfficeHours

pytestmark = pytest.mark.django_db


def test_counselor_group_may_work_the_inbox_and_publish_office_hours():
    codenames = set(Group.objects.get(name="Counselor").permissions.values_list("codename", flat=True))
    assert {"view_appointmentrequest", "change_appointmentrequest", "publish_officehours"} <= codenames
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert "view_appointmentrequest" not in editors


def test_office_hours_edits_go_through_the_review_workflow():
    assignment = WorkflowContentType.objects.get(content_type=ContentType.objects.get_for_model(OfficeHours))
    assert assignment.workflow.name == "Review before publishing"
    assert OfficeHours().get_workflow().name == "Review before publishing"
