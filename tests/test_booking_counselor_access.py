"""The Counselor group can work the inbox and publish the office hours herself; Editors cannot see requests."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType, WorkflowMixin

from booking.models import OfficeHours

pytestmark = pytest.mark.django_db


def test_counselor_group_may_work_the_inbox_and_publish_office_hours():
    codenames = set(Group.objects.get(name="Counselor").permissions.values_list("codename", flat=True))
    assert {"view_appointmentrequest", "change_appointmentrequest", "publish_officehours"} <= codenames
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert "view_appointmentrequest" not in editors


def test_office_hours_are_published_without_a_review_workflow():
    office_hours_type = ContentType.objects.get_for_model(OfficeHours)
    assert not WorkflowContentType.objects.filter(content_type=office_hours_type).exists()
    assert not issubclass(OfficeHours, WorkflowMixin)
