"""A preview is a public page served under the admin: it keeps the public policy, so editors see what visitors
get, but the admin ('self') may frame it. Public pages and the admin keep their own policies."""

import pytest
from django.contrib.auth import get_user_model

from tests.blog_factories import make_post
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.fixture
def owner_client(client, blog_index):
    owner = get_user_model().objects.create_superuser(
        "owner", "owner@practice.example", "a-long-test-password"
    )
    client.force_login(owner)
    return client


@pytest.mark.parametrize("kind", ["post", "standard page"])
def test_a_preview_may_be_framed_by_the_admin_only_and_keeps_the_public_policy(
    owner_client, blog_index, kind
):
    if kind == "post":
        page = make_post(blog_index, live=False, title="Preview me")
    else:
        page = make_standard_page(blog_index.get_parent(), title="Preview me", live=False)
    revision = page.latest_revision

    response = owner_client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/")

    assert response.status_code == 200
    assert "Preview me" in response.content.decode()
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "frame-ancestors 'self'"
    assert policy["default-src"] == "default-src 'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_public_pages_still_refuse_every_frame(client, blog_index):
    make_post(blog_index, title="Framed nowhere", slug="framed-nowhere")

    for url in ("/", "/blog/", "/blog/framed-nowhere/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response["Content-Security-Policy"])["frame-ancestors"] == "frame-ancestors 'none'"
        assert response["X-Frame-Options"] == "DENY"


def test_the_admin_itself_keeps_its_own_policy(owner_client):
    response = owner_client.get("/admin/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "frame-ancestors 'self'"
    assert "'unsafe-inline'" in policy["script-src"]
