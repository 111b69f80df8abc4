"""The editorial set-up: who may write, who may publish, and the review that stands between them.

- "Editors" reach the admin, write posts under the blog index and submit them; they cannot publish.
- "Counselor" reviews and publishes posts, and manages authors.
- The workflow "Review before publishing" has one group approval task for the Counselor group, so submitting
  a post asks the counselor (and, with WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS off, nobody else) to review.

Groups and workflow are created by a data migration, so every fresh database has them. Page permissions and the
workflow's assignment need the blog index, which does not exist at migration time on a fresh database; they are
applied when a BlogIndexPage is created (a post_save handler in blog.signals) and, for a database that already
has an index, by the same data migration. Every function takes an `apps` registry so it runs both in migrations
(historical models) and at run time (`django.apps.apps`), and each is idempotent.
"""

from __future__ import annotations

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
MODEL_PERMISSIONS = {
    EDITORS: [("wagtailadmin", "access_admin"), ("blog", "view_author")],
    COUNSELOR: [
        ("wagtailadmin", "access_admin"),
        ("blog", "add_author"),
        ("blog", "change_author"),
        ("blog", "delete_author"),
        ("blog", "view_author"),
    ],
}


def _permission(apps, app_label: str, codename: str):
    permission_model = apps.get_model("auth", "Permission")
    return permission_model.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups_and_workflow(apps) -> None:
    """Create the two groups, their admin, snippet and collection permissions, and the workflow with its task."""
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
        group.permissions.add(
            *[_permission(apps, app, codename) for app, codename in MODEL_PERMISSIONS[name]]
        )
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


def assign_to_blog_index(apps, index_id: int) -> None:
    """Give both groups their page permissions on the blog index and make the index use the review workflow.

    Wagtail's own initial data gives a group called "Editors" add and edit rights on the whole tree; ours
    write for the blog only, so those tree-wide rights are removed here.
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
                group=group, page_id=index_id, permission=_permission(apps, "wagtailcore", codename)
            )
    workflow = workflow_model.objects.get(name=WORKFLOW_NAME)
    workflow_page_model.objects.update_or_create(page_id=index_id, defaults={"workflow": workflow})
