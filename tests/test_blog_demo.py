"""The blog's demo content: an author, at least eight posts over months and tags, one scheduled; idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, Revision

from blog import demo as blog_demo
from blog.models import Author, BlogIndexPage, BlogPage
from home import demo as home_demo

pytestmark = pytest.mark.django_db


def load_demo(with_users: bool = False) -> str:
    out = io.StringIO()
    home_demo.load(stdout=out, with_users=with_users)
    blog_demo.load(stdout=out, with_users=with_users)
    return out.getvalue()


def test_demo_builds_a_blog_with_an_author_and_posts_over_months_and_tags():
    load_demo()
    index = BlogIndexPage.objects.get()
    assert index.live and index.show_in_menus
    author = Author.objects.get(name="Maya Ellison")
    assert author.credentials == "LCMHC"
    live = BlogPage.objects.live()
    assert live.count() >= 8
    assert len({(post.date.year, post.date.month) for post in live}) >= 3
    assert len({tag.slug for post in live for tag in post.tags.all()}) >= 4
    assert all(post.hero_alt_text for post in live)
    scheduled = BlogPage.objects.filter(live=False)
    assert scheduled.count() == 1
    assert scheduled.get().get_latest_revision().approved_go_live_at is not None


def test_demo_twice_changes_nothing():
    load_demo(with_users=True)
    before = (
        Page.objects.count(),
        Revision.objects.count(),
        Author.objects.count(),
        get_user_model().objects.count(),
    )
    load_demo(with_users=True)
    after = (
        Page.objects.count(),
        Revision.objects.count(),
        Author.objects.count(),
        get_user_model().objects.count(),
    )
    assert before == after


def test_demo_with_users_creates_editor_and_counselor_and_says_how_to_log_in():
    output = load_demo(with_users=True)
    users = get_user_model().objects
    assert users.get(username="editor").groups.filter(name="Editors").exists()
    assert users.get(username="counselor").groups.filter(name="Counselor").exists()
    assert users.get(username="editor").check_password(home_demo.DEMO_PASSWORD)
    assert "'editor'" in output and "'counselor'" in output and home_demo.DEMO_PASSWORD in output


def test_demo_blog_pages_render(client):
    load_demo()
    assert client.get("/blog/").status_code == 200
    post = BlogPage.objects.live().first()
    assert client.get(post.url).status_code == 200
    assert client.get("/blog/feed/atom/").status_code == 200
