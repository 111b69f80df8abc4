"""The inbox says "contacted" where it said "replied": the counselor calls or writes back, she does not reply to a
thread. Existing rows are converted both ways."""

from django.db import migrations, models


def rename_status(old: str, new: str):
    def run(apps, schema_editor):
        apps.get_model("booking", "AppointmentRequest").objects.filter(status=old).update(status=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_counselor_booking_access"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appointmentrequest",
            name="consent",
            field=models.BooleanField(default=False, verbose_name="agreed to be contacted"),
        ),
        migrations.AlterField(
            model_name="appointmentrequest",
            name="status",
            field=models.CharField(
                choices=[("new", "New"), ("contacted", "Contacted"), ("closed", "Closed")],
                db_index=True,
                default="new",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(rename_status("replied", "contacted"), rename_status("contacted", "replied")),
    ]
