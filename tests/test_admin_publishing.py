"""Publishing in the counselor's words: Publish is her main action and her posts skip review; other writers'
submissions reach her by message and email naming the practice; approving is one action that says it published."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from wagtail.admin.action_menu import PageActionMenu

from home.publishing import announce_approval
from site_project.accounts.groups import COUNSELOR, EDITORS
from tests.blog_factories import make_post
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db

PRACTICE = "Willow Test Counseling"


def make_user(username: str, group: str, **fields):
    user = get_user_model().objects.create_user(
        username, f"{username}@practice.example", "a-long-test-password", **fields
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def practice(site):
    from home.models import PracticeSettings

    settings_row = PracticeSettings.for_site(site)
    settings_row.practice_name = PRACTICE
    settings_row.save()
    return settings_row


@pytest.fixture
def counselor(blog_index, practice):
    return make_user("maya", COUNSELOR, first_name="Maya", last_name="Ellison")


@pytest.fixture
def assistant(blog_index, practice):
    return make_user("sam", EDITORS, first_name="Sam", last_name="Reyes")


def action_menu(user, page) -> tuple[str, list[str]]:
    request = RequestFactory().get("/admin/")
    request.user = user
    menu = PageActionMenu(request, view="edit", page=page, lock=None, locked_for_user=False)
    return menu.default_item.name, [item.name for item in menu.menu_items]


def submit(post, writer):
    return post.get_workflow().start(post, writer)


def test_the_counselors_main_action_on_her_post_is_publish_and_she_cannot_send_it_to_her_own_review(
    blog_index, counselor
):
    post = make_post(blog_index, live=False, title="Sleep and worry")
    main, others = action_menu(counselor, post)
    assert main == "action-publish"
    assert "action-submit" not in others
    assert "action-save-draft" in others


def test_a_superuser_publishes_a_standard_page_directly(home_page, practice):
    owner = get_user_model().objects.create_superuser(
        "owner", "owner@practice.example", "a-long-test-password"
    )
    page = make_standard_page(home_page, title="Fees", live=False)
    main, others = action_menu(owner, page)
    assert main == "action-publish"
    assert "action-submit" not in others


def test_an_assistant_saves_drafts_and_submits_for_review_but_cannot_publish(blog_index, assistant):
    post = make_post(blog_index, live=False, title="Grief at the holidays")
    main, others = action_menu(assistant, post)
    assert main == "action-save-draft"
    assert "action-submit" in others
    assert "action-publish" not in others


def test_the_reviewer_gets_one_approve_action_as_the_main_button(blog_index, counselor, assistant):
    post = make_post(blog_index, live=False, title="Grief at the holidays")
    submit(post, assistant)
    request = RequestFactory().get("/admin/")
    request.user = counselor
    menu = PageActionMenu(request, view="edit", page=post, lock=None, locked_for_user=False)
    assert menu.default_item.name == "approve"
    assert menu.default_item.label == "Approve and publish"
    names = [item.name for item in menu.menu_items]
    assert "action-publish" not in names and "action-submit" not in names
    assert "reject" in names
    assert [item.label for item in menu.menu_items if item.name == "approve"] == [
        "Approve and publish with a comment"
    ]


def test_approving_a_post_with_a_go_live_date_says_it_will_be_scheduled(blog_index, counselor, assistant):
    post = make_post(blog_index, live=False, title="Starting therapy")
    post.go_live_at = timezone.now() + datetime.timedelta(days=3)
    post.save_revision()
    submit(post, assistant)
    request = RequestFactory().get("/admin/")
    request.user = counselor
    menu = PageActionMenu(request, view="edit", page=post, lock=None, locked_for_user=False)
    assert menu.default_item.label == "Approve and schedule"


def approval_request(user):
    request = RequestFactory().post(
        "/admin/pages/1/edit/", {"action-workflow-action": "true", "workflow-action-name": "approve"}
    )
    request.user = user
    request._messages = CookieStorage(request)
    return request


def messages_shown_next(request) -> list[str]:
    """The messages the browser carries to the next page, as Django stores them at the end of the request."""
    response = HttpResponse()
    request._messages.update(response)
    following = RequestFactory().get("/admin/")
    following.COOKIES[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    return [str(message) for message in CookieStorage(following)]


def test_approval_replaces_has_been_updated_with_published(blog_index, counselor, assistant):
    from django.contrib import messages

    post = make_post(blog_index, live=False, title="Grief at the holidays")
    state = submit(post, assistant)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, counselor, "approve")
    request = approval_request(counselor)
    messages.success(request, "Page 'Grief at the holidays' has been updated.")

    announce_approval(request, post)

    assert messages_shown_next(request) == ["“Grief at the holidays” is approved and published on the site."]


def test_a_scheduled_approval_names_the_local_go_live_time(blog_index, counselor, assistant, settings):
    settings.TIME_ZONE = "America/New_York"
    post = make_post(blog_index, live=False, title="Starting therapy")
    post.go_live_at = datetime.datetime(2030, 3, 5, 0, 30, tzinfo=datetime.UTC)
    post.save_revision()
    state = submit(post, assistant)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, counselor, "approve")
    request = approval_request(counselor)

    announce_approval(request, post)

    (shown,) = messages_shown_next(request)
    assert shown.startswith("“Starting therapy” is approved and will be published on March 4, 2030, 7:30")


def test_a_rejection_keeps_wagtails_message(blog_index, counselor, assistant):
    from django.contrib import messages

    post = make_post(blog_index, live=False, title="Needs work")
    state = submit(post, assistant)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, counselor, "reject")
    request = approval_request(counselor)
    messages.success(request, "Page 'Needs work' has been updated.")

    announce_approval(request, post)

    assert messages_shown_next(request) == ["Page 'Needs work' has been updated."]


def test_a_submission_emails_the_counselor_naming_the_practice_with_links_on_the_real_address(
    blog_index, counselor, assistant, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = "https://www.willowtest.example"
    post = make_post(blog_index, live=False, title="Grief at the holidays")

    with django_capture_on_commit_callbacks(execute=True):
        submit(post, assistant)

    (message,) = [m for m in mail.outbox if m.to == ["maya@practice.example"]]
    assert message.subject == f"{PRACTICE}: “Grief at the holidays” is waiting for your review"
    html = dict((mimetype, content) for content, mimetype in message.alternatives)["text/html"]
    edit_link = f"https://www.willowtest.example/admin/pages/{post.pk}/edit/"
    for text in (message.body, html):
        assert "Sam Reyes sent “Grief at the holidays” for your review" in text
        assert PRACTICE in text
        assert edit_link in text
        assert "localhost" not in text
    assert "email-header.jpg" not in html
    links = re.findall(r'href="([^"]+)"', html)
    assert links and all(link.startswith("https://www.willowtest.example/") for link in links)


def test_the_writer_hears_the_post_is_live_with_its_public_address(
    blog_index, counselor, assistant, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = "https://www.willowtest.example"
    post = make_post(blog_index, live=False, title="Grief at the holidays", slug="grief-at-the-holidays")
    state = submit(post, assistant)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, counselor, "approve")

    (message,) = [m for m in mail.outbox if m.to == ["sam@practice.example"]]
    assert message.subject == f"{PRACTICE}: “Grief at the holidays” is approved"
    assert "https://www.willowtest.example/blog/grief-at-the-holidays/" in message.body


def test_the_counselor_reads_the_submission_on_her_dashboard_with_a_count(
    client, blog_index, counselor, assistant
):
    for title in ("Grief at the holidays", "Sleep and worry"):
        submit(make_post(blog_index, live=False, title=title), assistant)
    client.force_login(counselor)
    html = client.get("/admin/").content.decode()
    assert "Blog posts waiting for your review (2)" in html
    assert "Grief at the holidays" in html and "Sleep and worry" in html
    assert "Sam Reyes" in html
    assert f'href="/admin/pages/add/blog/blogpage/{blog_index.pk}/"' in html
    assert "Write a blog post" in html
    assert "Awaiting your review" not in html


def test_an_assistant_sees_write_a_post_but_no_review_list(client, blog_index, assistant):
    client.force_login(assistant)
    html = client.get("/admin/").content.decode()
    assert "Write a blog post" in html
    assert "waiting for your review" not in html


def test_sign_in_and_dashboard_carry_the_practice_name_not_wagtail(client, counselor):
    login = client.get("/admin/login/").content.decode()
    assert f"Sign in to {PRACTICE}" in login
    assert "Sign in to Wagtail" not in login
    assert "login-logo" not in login
    assert re.search(r"<title>[^<]*" + PRACTICE, login)

    client.force_login(counselor)
    dashboard = client.get("/admin/").content.decode()
    assert re.search(r"<h1[^>]*>\s*" + PRACTICE, dashboard)
    assert "editor guide" not in dashboard.lower()
    assert "practice-admin-logo" in dashboard
