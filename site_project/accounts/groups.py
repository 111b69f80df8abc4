"""The editorial groups and the review that stands between them, which blog and booking both rely on.

- "Editors" reach the admin, write where a section is opened to them and submit what they write; they cannot
  publish.
- "Counselor" reviews and publishes.
- The workflow "Review before publishing" has one group approval task for the Counselor group, so submitting
  asks the counselor (and, with WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS off, nobody else) to review.

Each app grants the groups its own permissions with these functions: blog (authors, the blog index, importing
posts) and booking (the inbox, the office hours), in their data migrations. The groups and the workflow are made
by the first of those migrations to run (blog 0002, booking 0002), not by a migration of this app: both are
applied on existing databases, and making them depend on a new migration here would stop `migrate` there
(InconsistentMigrationHistory). Every function takes an `apps` registry so it runs both in migrations
(historical models) and at run time (`django.apps.apps`), and each is idempotent.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
COUNSELOR = "Counselor"
WORKFLOW_NAME = "Review before publishing"
TASK_NAME = "Counselor approval"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
COUNSELOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    EDITORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    COUNSELOR: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
}
# The apps whose permissions ensure_groups_and_workflow grants.
WAGTAIL_APP_LABELS = ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs")


def create_permissions_now(apps, *app_labels: str) -> None:
    """Create the apps' model permissions in a data migration (Django makes them only after all migrations ran).

    For migrations only: it marks each historical app config as having models while it runs.
    """
    for label in app_labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def _permission(apps, app_label: str, codename: str):
    permission_model = apps.get_model("auth", "Permission")
    return permission_model.objects.get(content_type__app_label=app_label, codename=codename)


def grant_model_permissions(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    """Give a group these permissions of one app; a permission that does not exist raises DoesNotExist."""
    group = apps.get_model("auth", "Group").objects.get(name=group_name)
    group.permissions.add(*[_permission(apps, app_label, codename) for codename in codenames])


def ensure_groups_and_workflow(apps) -> None:
    """Create the two groups with admin access and their image and document rights, and the workflow with its task.

    The Wagtail apps' permissions must exist: in a migration, call create_permissions_now(apps,
    *WAGTAIL_APP_LABELS) first.
    """
    group_model = apps.get_model("auth", "Group")
    collection_model = apps.get_model("wagtailcore", "Collection")
    group_collection_permission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    task_model = apps.get_model("wagtailcore", "GroupApprovalTask")
    workflow_task_model = apps.get_model("wagtailcore", "WorkflowTask")

    groups = {name: group_model.objects.get_or_create(name=name)[0] for name in (EDITORS, COUNSELOR)}
    root_collection = collection_model.objects.filter(depth=1).first()
    for name, group in groups.items():
        grant_model_permissions(apps, name, "wagtailadmin", ["access_admin"])
        if root_collection is not None:
            for app, codename in COLLECTION_PERMISSIONS[name]:
                group_collection_permission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(apps, app, codename)
                )

    workflow, _ = workflow_model.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = task_model.objects.filter(name=TASK_NAME).first()
    if task is None:
        task_content_type, _ = content_type_model.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = task_model.objects.create(name=TASK_NAME, active=True, content_type=task_content_type)
    task.groups.add(groups[COUNSELOR])
    workflow_task_model.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


def open_section_for_review(apps, page_id: int) -> None:
    """Let both groups write under this page (only the counselor publishes) and make it use the review workflow.

    Wagtail's own initial data gives a group called "Editors" add and edit rights on the whole tree; ours
    write only in the sections opened here, so those tree-wide rights are removed.
    """
    ensure_groups_and_workflow(apps)
    group_model = apps.get_model("auth", "Group")
    group_page_permission = apps.get_model("wagtailcore", "GroupPagePermission")
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    workflow_page_model = apps.get_model("wagtailcore", "WorkflowPage")

    editors = group_model.objects.get(name=EDITORS)
    counselor = group_model.objects.get(name=COUNSELOR)
    group_page_permission.objects.filter(group=editors, page__depth=1).delete()
    for group, codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (counselor, COUNSELOR_PAGE_PERMISSIONS)):
        for codename in codenames:
            group_page_permission.objects.get_or_create(
                group=group, page_id=page_id, permission=_permission(apps, "wagtailcore", codename)
            )
    workflow = workflow_model.objects.get(name=WORKFLOW_NAME)
    workflow_page_model.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})
