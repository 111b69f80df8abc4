"""The blog's dashboard panel: a "Write a blog post" button, the posts waiting for the user's review and, for the
counselor, the number of email subscribers.

It replaces Wagtail's "Awaiting your review" panel, so a reviewer sees one list, with a count, that opens each
post in the editor where "Approve and publish" is the main button (home.publishing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState

from blog.models import BlogIndexPage, BlogPage, Subscriber
from blog.subscriptions.admin import subscriber_policy

WAGTAIL_REVIEW_PANEL = "workflow_objects_to_moderate"


@dataclass(frozen=True)
class WaitingPost:
    title: str
    writer: str
    sent: str
    url: str


def local_time_text(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def posts_waiting_for(user: AbstractBaseUser) -> list[WaitingPost]:
    """Posts whose current review task this user may approve, newest submission first."""
    states = list(
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type=ContentType.objects.get_for_model(Page))
        .select_related("workflow_state__requested_by")
        .order_by("-started_at")
    )
    posts = BlogPage.objects.in_bulk([state.workflow_state.object_id for state in states])
    return [
        WaitingPost(
            title=post.get_admin_display_title(),
            writer=_writer_name(state.workflow_state.requested_by),
            sent=local_time_text(state.started_at),
            url=reverse("wagtailadmin_pages:edit", args=[post.pk]),
        )
        for state in states
        if (post := posts.get(int(state.workflow_state.object_id))) is not None
    ]


def _writer_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "A writer"
    return user.get_full_name() or user.get_username()


class BlogPanel(Component):
    name = "blog"
    template_name = "blog/admin/dashboard_panel.html"
    order = 40

    def __init__(self, user: AbstractBaseUser) -> None:
        self.user = user

    def get_context_data(self, parent_context: dict) -> dict:
        index = BlogIndexPage.objects.first()
        permissions = index.permissions_for_user(self.user) if index else None
        waiting = posts_waiting_for(self.user)
        return {
            # The editor for a new post under the blog index, if the user may add one.
            "new_post_url": reverse("wagtailadmin_pages:add", args=["blog", "blogpage", index.pk])
            if permissions and permissions.can_add_subpage()
            else None,
            "reviews": bool(waiting) or bool(permissions and permissions.can_publish_subpage()),
            "count": len(waiting),
            "waiting": waiting,
            **self.subscriber_context(),
        }

    def subscriber_context(self) -> dict:
        if not subscriber_policy.user_has_permission(self.user, "view"):
            return {}
        return {
            "subscribers": Subscriber.objects.filter(confirmed_at__isnull=False).count(),
            "subscribers_url": reverse(Subscriber.snippet_viewset.get_url_name("list")),
        }


def show_blog_panel(request, panels: list) -> None:
    """construct_homepage_panels hook: the blog panel first, in place of Wagtail's review panel."""
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != WAGTAIL_REVIEW_PANEL]
    panels.append(BlogPanel(request.user))
