"""Appointment mail moves to the site's outbox (site_project.outbox): every booking.OutboxEmail row is copied into
outbox.Email under the key "booking.request.<id>.<kind>", then the old table goes.

Email still waiting (pending, or sending when the old worker stopped) is rendered now, as the old task would
have rendered it, and waits in the outbox for the sweep. Sent and failed email keeps its delivery record; its
content was never stored, so its subject only says what it was. Rendering uses the current models, which match
the database at this point in the chain; a database with no appointment mail (any fresh one) renders nothing.
"""

from django.db import migrations

KEY_PREFIX = "booking.request."
UNSENT = ("pending", "sending")
KIND_LABELS = {"confirmation": "Confirmation", "notification": "Notification"}


def rendered_fields(request_id: int, kind: str, recipient: str) -> dict:
    from booking.emails import build_message
    from booking.models import AppointmentRequest
    from site_project.outbox.services import message_fields

    request = AppointmentRequest.objects.get(pk=request_id)
    return message_fields(build_message(request, kind, recipient))


def record_fields(request_id: int, kind: str, recipient: str) -> dict:
    return {
        "subject": f"{KIND_LABELS.get(kind, kind)} of appointment request #{request_id} (sent before the outbox)",
        "from_email": "",
        "to": [recipient],
    }


def copy_to_outbox(apps, schema_editor):
    old_model = apps.get_model("booking", "OutboxEmail")
    email_model = apps.get_model("outbox", "Email")
    for old in old_model.objects.order_by("pk").iterator():
        unsent = old.status in UNSENT
        build = rendered_fields if unsent else record_fields
        email_model.objects.create(
            key=f"{KEY_PREFIX}{old.request_id}.{old.kind}",
            status="pending" if unsent else old.status,
            attempts=old.attempts,
            last_error=old.last_error,
            created_at=old.created_at,
            next_attempt_at=old.next_attempt_at,
            sent_at=old.sent_at,
            **build(old.request_id, old.kind, old.recipient),
        )


def copy_back(apps, schema_editor):
    old_model = apps.get_model("booking", "OutboxEmail")
    request_model = apps.get_model("booking", "AppointmentRequest")
    email_model = apps.get_model("outbox", "Email")
    for email in email_model.objects.filter(key__startswith=KEY_PREFIX).iterator():
        request_id, _, kind = email.key.removeprefix(KEY_PREFIX).partition(".")
        if kind not in KIND_LABELS or not request_model.objects.filter(pk=request_id).exists():
            continue
        old_model.objects.create(
            request_id=request_id,
            kind=kind,
            recipient=email.to[0] if email.to else "",
            status="pending" if email.status == "sending" else email.status,
            attempts=email.attempts,
            last_error=email.last_error,
            created_at=email.created_at,
            next_attempt_at=email.next_attempt_at,
            sent_at=email.sent_at,
        )
        email.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_office_hours_published_directly"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_outbox, copy_back),
        migrations.DeleteModel(name="OutboxEmail"),
    ]
