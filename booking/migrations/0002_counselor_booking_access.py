"""Let the Counselor group work the appointment inbox and the office hours, and send office-hours edits
through the same "Review before publishing" workflow as posts (both made by blog's 0002 migration)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COUNSELOR = "Counselor"
WORKFLOW_NAME = "Review before publishing"
COUNSELOR_BOOKING_PERMISSIONS = [
    "view_appointmentrequest",
    "change_appointmentrequest",
    "delete_appointmentrequest",
    "add_officehours",
    "change_officehours",
    "delete_officehours",
    "publish_officehours",
    "lock_officehours",
    "unlock_officehours",
    "view_officehours",
]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("booking")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    workflow_content_type_model = apps.get_model("wagtailcore", "WorkflowContentType")

    # Wagtail adds a draft-and-lock snippet's publish/lock/unlock permissions only after all migrations ran.
    office_hours_type, _ = content_type_model.objects.get_or_create(app_label="booking", model="officehours")
    verbose_name = apps.get_model("booking", "OfficeHours")._meta.verbose_name_raw
    for action in ("publish", "lock", "unlock"):
        permission_model.objects.get_or_create(
            content_type=office_hours_type,
            codename=f"{action}_officehours",
            defaults={"name": f"Can {action} {verbose_name}"},
        )

    counselor = group_model.objects.filter(name=COUNSELOR).first()
    if counselor is not None:
        counselor.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="booking", codename__in=COUNSELOR_BOOKING_PERMISSIONS
            )
        )
    workflow = workflow_model.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        workflow_content_type_model.objects.get_or_create(
            content_type=office_hours_type, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0001_initial"),
        ("blog", "0002_editorial_workflow"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
