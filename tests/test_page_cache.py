"""The page cache answers anonymous visitors from the cache and refreshes whenever public content changes."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import PracticeSettings
from home.page_cache import cache_key, limit_cache_until
from tests.factories import make_standard_page, publish

pytestmark = pytest.mark.django_db


def fetch(client, path: str, **headers):
    return client.get(path, headers=headers)


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, home_page, django_assert_num_queries
):
    page = make_standard_page(home_page, title="Services")
    first = fetch(client, page.url)
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = fetch(client, page.url)

    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=5" in second["Cache-Control"]
    assert second["ETag"] and second["Last-Modified"]


def test_a_cached_page_answers_304_to_a_matching_etag(client, home_page):
    page = make_standard_page(home_page, title="Fees")
    etag = fetch(client, page.url)["ETag"]
    response = fetch(client, page.url, if_none_match=etag)
    assert response.status_code == 304
    assert response["X-Page-Cache"] == "hit"


def test_publishing_a_change_refreshes_the_cached_page_and_its_parent(client, home_page):
    page = make_standard_page(home_page, title="About", show_in_menus=True)
    fetch(client, page.url)
    fetch(client, "/")

    page.title = "About the practice"
    publish(page)

    assert "About the practice" in fetch(client, page.url).content.decode()
    home = fetch(client, "/")
    assert home["X-Page-Cache"] == "miss"
    assert "About the practice" in home.content.decode()


def test_unpublishing_removes_the_page_from_cached_menus(client, home_page):
    page = make_standard_page(home_page, title="Groups", show_in_menus=True)
    assert "Groups" in fetch(client, "/").content.decode()

    page.unpublish()

    assert "Groups" not in fetch(client, "/").content.decode()
    assert fetch(client, "/groups/").status_code == 404


def test_moving_and_deleting_pages_refresh_the_cache(client, home_page):
    parent = make_standard_page(home_page, title="Services", show_in_menus=True)
    child = make_standard_page(home_page, title="Couples", show_in_menus=True)
    assert "Couples" in fetch(client, "/").content.decode()

    child.move(parent, pos="last-child")
    assert "Couples" not in fetch(client, "/").content.decode()
    assert fetch(client, "/services/couples/").status_code == 200

    parent.refresh_from_db()
    parent.delete()
    assert "Services" not in fetch(client, "/").content.decode()


def test_editing_site_settings_refreshes_every_cached_page(client, site):
    fetch(client, "/")
    practice = PracticeSettings.for_site(site)
    practice.crisis_notice = "Call the warm line at 555-0199."
    practice.save()

    assert "Call the warm line at 555-0199." in fetch(client, "/").content.decode()


def test_logged_in_editors_are_never_served_or_stored_in_the_cache(client, home_page):
    editor = get_user_model().objects.create_user("editor", password="unused-password-123")
    client.force_login(editor)

    response = fetch(client, "/")
    assert "X-Page-Cache" not in response
    client.logout()
    assert fetch(client, "/")["X-Page-Cache"] == "miss"


def test_admin_and_previews_are_never_cached(admin_client, client, home_page):
    assert "X-Page-Cache" not in fetch(client, "/admin/login/")
    preview = admin_client.get(f"/admin/pages/{home_page.pk}/edit/preview/")
    assert "X-Page-Cache" not in preview


def test_password_protected_pages_are_never_cached(client, home_page):
    page = make_standard_page(home_page, title="Members")
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="s3cret-word")

    first = fetch(client, page.url)
    second = fetch(client, page.url)

    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    assert cache.get(cache_key(RequestFactory().get(page.url))) is None


def test_responses_to_posts_and_search_are_never_cached(client, home_page):
    page = make_standard_page(home_page, title="About")
    assert "X-Page-Cache" not in client.post(page.url, {})
    assert "X-Page-Cache" not in fetch(client, "/search/?query=about")


def test_pages_that_set_a_cookie_such_as_a_csrf_token_are_not_stored(client, home_page, monkeypatch):
    page = make_standard_page(home_page, title="Form")
    from django.middleware.csrf import get_token
    from wagtail import hooks

    def use_csrf_token(page, request, serve_args, serve_kwargs):
        get_token(request)

    with hooks.register_temporarily("before_serve_page", use_csrf_token):
        first = fetch(client, page.url)
        client.cookies.clear()
        second = fetch(client, page.url)

    assert "csrftoken" in first.cookies
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second


def test_other_query_strings_bypass_the_cache_but_pagination_is_cached(client, home_page):
    page = make_standard_page(home_page, title="Blogish")
    assert "X-Page-Cache" not in fetch(client, f"{page.url}?utm_source=mail")
    fetch(client, f"{page.url}?page=2")
    assert fetch(client, f"{page.url}?page=2")["X-Page-Cache"] == "hit"


def test_content_that_changes_at_a_known_time_limits_how_long_the_page_is_kept(client, home_page, settings):
    from wagtail import hooks

    soon = timezone.now() - timedelta(seconds=1)

    def expires_now(page, request, serve_args, serve_kwargs):
        limit_cache_until(request, soon)

    with hooks.register_temporarily("before_serve_page", expires_now):
        fetch(client, "/")
        assert fetch(client, "/")["X-Page-Cache"] == "miss"


def test_a_cached_page_answers_304_to_if_modified_since(client, home_page):
    page = make_standard_page(home_page, title="Hours")
    last_modified = fetch(client, page.url)["Last-Modified"]
    response = fetch(client, page.url, if_modified_since=last_modified)
    assert response.status_code == 304
    assert response["X-Page-Cache"] == "hit"


def test_restricting_a_published_page_removes_it_from_the_cache_at_once(client, home_page):
    page = make_standard_page(home_page, title="Group notes")
    assert "Group notes" in fetch(client, page.url).content.decode()

    PageViewRestriction.objects.create(page=page, restriction_type="password", password="s3cret-word")

    response = fetch(client, page.url)
    assert "X-Page-Cache" not in response
    assert "password" in response.content.decode().lower()


SHARED_SECURITY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Resource-Policy")


def test_a_hit_carries_the_security_headers_of_the_page_it_replays(client, home_page):
    page = make_standard_page(home_page, title="Approach")
    first = fetch(client, page.url)
    second = fetch(client, page.url)
    assert second["X-Page-Cache"] == "hit"
    for header in SHARED_SECURITY_HEADERS:
        assert second[header] == first[header]
    assert second["X-Request-ID"] != first["X-Request-ID"]  # per request, never stored


def test_a_page_stored_without_the_security_headers_is_never_served(client, home_page):
    page = make_standard_page(home_page, title="Groups")
    fetch(client, page.url)
    key = cache_key(RequestFactory().get(page.url))
    stored = cache.get(key)
    stored.pop("layout")  # as pages were stored before the security headers were kept with them
    stored["headers"] = [
        (name, value) for name, value in stored["headers"] if name not in SHARED_SECURITY_HEADERS
    ]
    cache.set(key, stored)

    answer = fetch(client, page.url)

    assert answer["X-Page-Cache"] == "miss"
    assert all(answer[header] for header in SHARED_SECURITY_HEADERS)
