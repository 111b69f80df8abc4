"""ADMIN_URL_PATH moves the Wagtail admin (sign-in, two-factor pages and all) away from /admin/."""

import importlib
from io import StringIO

import pytest
from django.test.utils import override_settings
from django.urls import clear_url_caches, reverse

import site_project.urls
from home.demo import ensure_demo_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_at_office(site):
    with override_settings(ADMIN_URL_PATH="office/"):
        clear_url_caches()
        importlib.reload(site_project.urls)
        yield
    clear_url_caches()
    importlib.reload(site_project.urls)


def test_admin_sign_in_is_served_at_the_configured_path(client, admin_at_office):
    response = client.get("/office/login/")

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert reverse("wagtailadmin_login") == "/office/login/"


def test_old_admin_path_is_not_found_when_the_admin_has_moved(client, admin_at_office):
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


def test_admin_dashboard_at_the_moved_path_redirects_anonymous_visitors_to_its_sign_in(
    client, admin_at_office
):
    response = client.get("/office/")

    assert response.status_code == 302
    assert response["Location"].startswith("/office/login/")


def test_two_factor_pages_move_with_the_admin(admin_at_office):
    assert reverse("two_factor_verify") == "/office/two-factor/verify/"


def test_moved_admin_is_never_page_cached_and_gets_the_admin_policy(client, admin_at_office):
    response = client.get("/office/login/")

    assert "X-Page-Cache" not in response
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_the_demo_sign_in_line_names_the_moved_admin(admin_at_office, settings):
    output = StringIO()
    ensure_demo_admin(output)

    assert f"Log in at {settings.SITE_URL}/office/ as" in output.getvalue()
    assert "/admin/" not in output.getvalue()
