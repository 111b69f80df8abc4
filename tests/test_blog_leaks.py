"""Nothing unpublished leaks: drafts, scheduled, expired and private posts stay out of every public list."""

import datetime

import pytest
from django.utils import timezone

from blog.models import BlogPage
from home.models import HomePage
from tests.blog_factories import make_post, restrict, schedule
from tests.factories import publish

pytestmark = pytest.mark.django_db

SECRET = "Hidden"


def hidden_post(kind: str, index) -> BlogPage:
    """A post that must not be public, with a tag nothing public uses."""
    now = timezone.now()
    date = datetime.date(2030, 1, 15)
    if kind == "draft":
        return make_post(index, live=False, title=f"{SECRET} draft", tags=["secret-tag"], date=date)
    if kind == "scheduled":
        post = make_post(index, live=False, title=f"{SECRET} scheduled", tags=["secret-tag"], date=date)
        return schedule(post, go_live_at=now + datetime.timedelta(days=2))
    if kind == "expired":
        post = make_post(index, title=f"{SECRET} expired", tags=["secret-tag"], date=date)
        BlogPage.objects.filter(pk=post.pk).update(expire_at=now - datetime.timedelta(minutes=1))
        return post  # still live until publish_scheduled runs, but already past its expiry
    if kind == "unpublished":
        post = make_post(index, title=f"{SECRET} unpublished", tags=["secret-tag"], date=date)
        post.unpublish()
        return post
    post = make_post(index, title=f"{SECRET} {kind}", tags=["secret-tag"], date=date)
    restrict(post, password="letmein" if kind == "password" else None)
    return post


KINDS = ["draft", "scheduled", "expired", "unpublished", "password", "login"]


@pytest.mark.parametrize("kind", KINDS)
def test_hidden_post_appears_in_no_public_list(client, blog_index, kind):
    home = HomePage.objects.get()
    home.body = [("latest_posts", {"heading": "From the blog", "count": 6})]
    publish(home)
    visible = make_post(blog_index, title="Public post", tags=["sleep", "secret-neighbour"])
    post = hidden_post(kind, blog_index)

    public_urls = [
        "/",
        "/blog/",
        "/blog/2030/",
        "/blog/2030/01/",
        "/blog/tag/sleep/",
        "/blog/feed/rss/",
        "/blog/feed/atom/",
        "/blog/tag/sleep/feed/rss/",
        "/blog/tag/sleep/feed/atom/",
        visible.url,
        "/sitemap.xml",
    ]
    for url in public_urls:
        response = client.get(url)
        if url.startswith("/blog/2030/"):
            assert response.status_code == 404, url  # the only post of that month is hidden
            continue
        html = response.content.decode()
        assert response.status_code == 200, url
        assert SECRET not in html, url
        assert f"/{post.slug}/" not in html, url
        assert "secret-tag" not in html, url
    for url in ("/blog/tag/secret-tag/", "/blog/tag/secret-tag/feed/rss/", "/blog/tag/secret-tag/feed/atom/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("kind", ["draft", "scheduled", "expired", "unpublished"])
def test_hidden_post_page_itself_is_not_served(client, blog_index, kind):
    post = hidden_post(kind, blog_index)
    assert client.get(f"/blog/{post.slug}/").status_code == 404


def test_restricted_post_page_asks_for_a_password_or_login(client, blog_index):
    by_password = hidden_post("password", blog_index)
    by_login = hidden_post("login", blog_index)
    password_page = client.get(by_password.url)
    assert password_page.status_code == 200 and "password" in password_page.content.decode().lower()
    assert SECRET + " password</h1>" not in password_page.content.decode()
    assert client.get(by_login.url).status_code == 302


def test_posts_under_a_private_blog_index_are_not_listed_on_the_home_page(client, blog_index):
    home = HomePage.objects.get()
    home.body = [("latest_posts", {"heading": "From the blog", "count": 3})]
    publish(home)
    make_post(blog_index, title=f"{SECRET} under private index")
    restrict(blog_index)
    assert SECRET not in client.get("/").content.decode()
