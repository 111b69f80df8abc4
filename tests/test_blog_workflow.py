"""The editorial workflow: editors submit, the counselor reviews and publishes; notifications leave through the outbox."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import GroupPagePermission, Workflow, WorkflowState

from blog.editorial import set_up_blog_index
from blog.models import BlogPage
from site_project.accounts.groups import COUNSELOR, EDITORS, WORKFLOW_NAME
from site_project.outbox.models import Email
from tests.blog_factories import make_post

pytestmark = pytest.mark.django_db


def make_user(username: str, group: str, **fields):
    user = get_user_model().objects.create_user(
        username, f"{username}@practice.example", "a-long-test-password", **fields
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(blog_index):
    return make_user("editor", EDITORS)


@pytest.fixture
def counselor(blog_index):
    return make_user("counselor", COUNSELOR)


def test_migrations_create_the_groups_and_the_workflow_with_a_counselor_task():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    task = workflow.tasks.get().specific
    assert [group.name for group in task.groups.all()] == [COUNSELOR]
    assert Group.objects.filter(name=EDITORS).exists()


def test_a_new_blog_index_gets_the_workflow_and_group_permissions(blog_index):
    assert blog_index.get_workflow().name == WORKFLOW_NAME
    editor_perms = set(
        GroupPagePermission.objects.filter(group__name=EDITORS, page=blog_index).values_list(
            "permission__codename", flat=True
        )
    )
    counselor_perms = set(
        GroupPagePermission.objects.filter(group__name=COUNSELOR, page=blog_index).values_list(
            "permission__codename", flat=True
        )
    )
    assert editor_perms == {"add_page", "change_page"}
    assert "publish_page" in counselor_perms


def test_assigning_the_workflow_again_changes_nothing(blog_index):
    before = GroupPagePermission.objects.count()
    set_up_blog_index(apps, blog_index.pk)
    assert GroupPagePermission.objects.count() == before


def test_an_editor_can_edit_posts_but_cannot_publish(blog_index, editor):
    post = make_post(blog_index, live=False)
    permissions = post.permissions_for_user(editor)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert blog_index.permissions_for_user(editor).can_add_subpage()
    assert not post.get_parent().get_parent().permissions_for_user(editor).can_edit()


def test_an_editor_publishing_through_the_admin_is_refused(client, blog_index, editor):
    post = make_post(blog_index, live=False, title="Draft")
    client.force_login(editor)
    response = client.get(f"/admin/pages/{post.pk}/edit/")
    assert response.status_code == 200
    assert 'name="action-publish"' not in response.content.decode()
    assert 'name="action-submit"' in response.content.decode()


def test_submitting_starts_the_workflow_and_the_counselors_approval_publishes(blog_index, editor, counselor):
    post = make_post(blog_index, live=False, title="For review")
    workflow = post.get_workflow()
    state = workflow.start(post, editor)
    post.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not post.live

    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(post, counselor)
    assert not task_state.task.specific.get_actions(post, editor)
    task_state.task.specific.on_action(task_state, counselor, "approve")

    post.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert post.live


def test_rejection_returns_the_post_to_the_editor_unpublished(blog_index, editor, counselor):
    post = make_post(blog_index, live=False, title="Needs work")
    state = post.get_workflow().start(post, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, counselor, "reject")
    state.refresh_from_db()
    post.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not post.live
    assert post.permissions_for_user(editor).can_edit()


def test_moderation_mail_goes_to_the_counselor_group_through_the_outbox_as_html_with_absolute_links(
    blog_index, editor, counselor, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "site_project.outbox.backend.OutboxEmailBackend"
    get_user_model().objects.create_superuser("owner", "owner@practice.example", "a-long-test-password")
    post = make_post(blog_index, live=False, title="Please review")

    with django_capture_on_commit_callbacks(execute=True):
        post.get_workflow().start(post, editor)

    stored = Email.objects.all()
    assert [(email.to, email.status) for email in stored] == [(["counselor@practice.example"], "sent")], (
        "the notification did not leave through the outbox"
    )
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"counselor@practice.example"}
    message = mail.outbox[0]
    assert "Please review" in message.subject
    html = dict((mimetype, content) for content, mimetype in message.alternatives)["text/html"]
    links = re.findall(r'href="([^"]+)"', html)
    assert links and all(
        link.startswith("http://testserver/") for link in links if not link.startswith("mailto:")
    )
    assert f"/admin/pages/{post.pk}/" in html


def test_the_blog_index_created_after_migrations_still_is_reviewed(home_page):
    from tests.blog_factories import make_blog_index

    index = make_blog_index(home_page)
    post = make_post(index, live=False)
    assert isinstance(post, BlogPage)
    assert post.get_workflow().name == WORKFLOW_NAME
