"""The counselor publishes office hours herself: the snippet leaves the "Review before publishing" workflow
(booking 0002 assigned it), and any office-hours edit still waiting in review is cancelled, its draft kept.
The time zone field's new default is the practice's zone (settings.TIME_ZONE)."""

from django.db import migrations, models
from django.utils import timezone

import booking.models.office_hours


def leave_the_workflow(apps, schema_editor):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    office_hours_type = content_type_model.objects.filter(app_label="booking", model="officehours").first()
    if office_hours_type is None:
        return
    apps.get_model("wagtailcore", "WorkflowContentType").objects.filter(
        content_type=office_hours_type
    ).delete()
    waiting = apps.get_model("wagtailcore", "WorkflowState").objects.filter(
        base_content_type=office_hours_type, status="in_progress"
    )
    apps.get_model("wagtailcore", "TaskState").objects.filter(
        workflow_state__in=waiting, status="in_progress"
    ).update(status="cancelled", finished_at=timezone.now())
    waiting.update(status="cancelled", current_task_state=None)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0003_status_contacted"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterField(
            model_name="officehours",
            name="timezone",
            field=models.CharField(
                default=booking.models.office_hours.practice_timezone,
                help_text="Visitors see the hours, and whether the office is open, in this time zone. "
                "Type to search, e.g. “Chicago” or “Pacific”.",
                max_length=64,
                validators=[booking.models.office_hours.validate_timezone],
                verbose_name="time zone",
            ),
        ),
        migrations.RunPython(leave_the_workflow, migrations.RunPython.noop),
    ]
