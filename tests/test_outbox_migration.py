"""Booking's migration 0005 moves appointment mail into the outbox: unsent mail is rendered and later sent, the
delivery record of sent mail is kept and never sent again, and the migration can be reversed."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from booking.models import AppointmentRequest
from site_project.outbox.models import Email
from site_project.outbox.tasks import sweep_outbox
from tests.booking_factories import make_contact_page, make_office_hours, make_practice_details

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

migration = import_module("booking.migrations.0005_mail_moves_to_the_outbox")
BEFORE = [("booking", "0004_office_hours_published_directly"), ("outbox", "0001_initial")]


@pytest.fixture
def historical_apps():
    """The models as they were before the move, with booking's old outbox table created for the test."""
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    old_model = apps.get_model("booking", "OutboxEmail")
    with connection.schema_editor() as editor:
        editor.create_model(old_model)
    yield apps
    with connection.schema_editor() as editor:
        editor.delete_model(old_model)


@pytest.fixture
def request_with_old_mail(site, home_page, historical_apps) -> AppointmentRequest:
    make_practice_details(site)
    make_office_hours()
    page = make_contact_page(home_page)
    request = AppointmentRequest.objects.create(
        page=page, form_data={}, name="Ana Lima", email="ana@example.org", consent=True
    )
    old_model = historical_apps.get_model("booking", "OutboxEmail")
    sent_at = timezone.now() - timedelta(days=1)
    old_model.objects.create(
        request_id=request.pk, kind="confirmation", recipient="ana@example.org", status="sending", attempts=1
    )
    old_model.objects.create(
        request_id=request.pk,
        kind="notification",
        recipient="counselor@practice.example",
        status="sent",
        attempts=2,
        sent_at=sent_at,
    )
    return request


def test_unsent_mail_is_rendered_into_the_outbox_and_sent_mail_keeps_its_record(
    historical_apps, request_with_old_mail
):
    migration.copy_to_outbox(historical_apps, None)

    request = request_with_old_mail
    confirmation = Email.objects.get(key=f"booking.request.{request.pk}.confirmation")
    notification = Email.objects.get(key=f"booking.request.{request.pk}.notification")
    assert (confirmation.status, confirmation.attempts, confirmation.to) == (
        "pending",
        1,
        ["ana@example.org"],
    )
    assert confirmation.subject == "We received your request, Ana"
    assert "Willow Test Counseling" in confirmation.body
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert (
        notification.subject == f"Notification of appointment request #{request.pk} (sent before the outbox)"
    )
    assert notification.sent_at is not None

    Email.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert sweep_outbox.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_the_move_can_be_reversed(historical_apps, request_with_old_mail):
    old_model = historical_apps.get_model("booking", "OutboxEmail")
    migration.copy_to_outbox(historical_apps, None)
    old_model.objects.all().delete()

    migration.copy_back(historical_apps, None)

    assert sorted(old_model.objects.values_list("kind", "recipient", "status", "attempts")) == [
        ("confirmation", "ana@example.org", "pending", 1),
        ("notification", "counselor@practice.example", "sent", 2),
    ]
    assert not Email.objects.exists()
