"""Let the Counselor group work the appointment inbox and the office hours, and send office-hours edits
through the "Review before publishing" workflow (0004 takes them out of it again).

The groups and the workflow belong to site_project.accounts.groups; whichever of this migration and blog's
0002 runs first creates them.
"""

from django.db import migrations

from site_project.accounts.groups import (
    COUNSELOR,
    WAGTAIL_APP_LABELS,
    WORKFLOW_NAME,
    create_permissions_now,
    ensure_groups_and_workflow,
    grant_model_permissions,
)

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
    create_permissions_now(apps, *WAGTAIL_APP_LABELS, "booking")
    ensure_groups_and_workflow(apps)

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

    grant_model_permissions(apps, COUNSELOR, "booking", COUNSELOR_BOOKING_PERMISSIONS)
    workflow_content_type_model.objects.get_or_create(
        content_type=office_hours_type, defaults={"workflow": workflow_model.objects.get(name=WORKFLOW_NAME)}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
