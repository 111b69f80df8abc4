"""What the editorial groups (site_project.accounts.groups) may do in the blog.

Editors see the authors and the Counselor manages them; both write under a blog index, which uses the review
workflow, and only the Counselor publishes there or imports posts (`blog.import_posts`, granted by migration
0004_imported_posts). Applied by migration 0002 and, for a blog index created later, by blog.signals.
"""

from __future__ import annotations

from site_project.accounts.groups import (
    COUNSELOR,
    EDITORS,
    ensure_groups_and_workflow,
    grant_model_permissions,
    open_section_for_review,
)

AUTHOR_PERMISSIONS = {
    EDITORS: ["view_author"],
    COUNSELOR: ["add_author", "change_author", "delete_author", "view_author"],
}


def grant_author_permissions(apps) -> None:
    """Make sure the groups exist and give them their rights on authors."""
    ensure_groups_and_workflow(apps)
    for group_name, codenames in AUTHOR_PERMISSIONS.items():
        grant_model_permissions(apps, group_name, "blog", codenames)


def set_up_blog_index(apps, index_id: int) -> None:
    """Give the groups their rights in the blog and have the blog index's posts reviewed before publishing."""
    grant_author_permissions(apps)
    open_section_for_review(apps, index_id)
