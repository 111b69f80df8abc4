"""Search never finds what the public may not see, and the index follows publishing and unpublishing."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import StandardPage
from tests.blog_factories import make_blog_index, make_post, restrict, schedule
from tests.factories import make_standard_page, publish

pytestmark = pytest.mark.django_db


def found(client, query: str) -> list[str]:
    """Titles on the results page and in the suggestions for `query`."""
    response = client.get("/search/", {"query": query})
    assert response.status_code == 200
    titles = [hit.page.title for hit in response.context["hits"]]
    titles += [promotion.title for promotion in response.context["outcome"].promotions]
    suggested = client.get("/search/suggest/", {"query": query}).json()["results"]
    return titles + [item["title"] for item in suggested]


def test_a_draft_is_never_found(client, home_page):
    make_standard_page(home_page, title="Marigold draft", live=False)

    assert found(client, "marigold") == []


def test_a_scheduled_page_is_not_found_until_it_goes_live(client, home_page):
    index = make_blog_index(home_page)
    post = make_post(index, title="Marigold scheduled", live=False)
    schedule(post, go_live_at=timezone.now() + datetime.timedelta(days=1))
    assert not post.live

    assert found(client, "marigold") == []


def test_an_expired_page_is_not_found_even_before_publish_scheduled_unpublishes_it(client, home_page):
    page = make_standard_page(home_page, title="Marigold expired")
    StandardPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))

    assert found(client, "marigold") == []

    call_command("publish_scheduled_pages")
    page.refresh_from_db()
    assert not page.live and page.expired
    assert found(client, "marigold") == []


def test_a_page_expiring_later_is_found(client, home_page):
    page = make_standard_page(home_page, title="Marigold lasting")
    StandardPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() + datetime.timedelta(days=1))

    assert found(client, "marigold") == ["Marigold lasting", "Marigold lasting"]


def test_password_protected_pages_and_their_children_are_not_found(client, home_page):
    parent = make_standard_page(home_page, title="Marigold private")
    make_standard_page(parent, title="Marigold child")
    restrict(parent, password="secret-words")

    assert found(client, "marigold") == []


def test_login_and_group_restricted_pages_are_not_found(client, home_page):
    login_only = make_standard_page(home_page, title="Marigold members")
    restrict(login_only)
    group_only = make_standard_page(home_page, title="Marigold staff")
    restriction = PageViewRestriction.objects.create(
        page=group_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Staff"))

    assert found(client, "marigold") == []


def test_unpublishing_removes_a_page_and_publishing_brings_it_back(client, home_page):
    page = make_standard_page(home_page, title="Marigold seasons")
    assert "Marigold seasons" in found(client, "marigold")

    page.unpublish()
    assert found(client, "marigold") == []

    publish(page)
    assert "Marigold seasons" in found(client, "marigold")


def test_a_republished_title_is_found_by_its_new_words_only(client, home_page):
    page = make_standard_page(home_page, title="Marigold seasons")
    page.title = "Sunflower seasons"
    publish(page)

    assert found(client, "marigold") == []
    assert "Sunflower seasons" in found(client, "sunflower")


def test_a_draft_edit_of_a_live_page_is_not_searchable(client, home_page):
    page = make_standard_page(home_page, title="Marigold seasons")
    page.title = "Secret rename"
    page.save_revision()

    assert found(client, "secret") == []
    assert "Marigold seasons" in found(client, "marigold")


def test_the_root_page_and_other_sites_are_not_found(client, home_page):
    assert found(client, "root") == []
