"""Security headers with the production settings: Observatory A+ on every public page, a strict CSP that the
public HTML honours, the admin's own policy, HTTPS redirect, and no third-party requests."""

import importlib
import os
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page

from tests.observatory import score_response

pytestmark = pytest.mark.django_db

PRODUCTION_SECURITY_SETTINGS = (
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
)


def production_security() -> dict:
    """The security settings exactly as site_project.settings.production computes them."""
    with mock.patch.dict(os.environ, {"SECRET_KEY": "s" * 50}):
        module = importlib.import_module("site_project.settings.production")
    return {name: getattr(module, name) for name in PRODUCTION_SECURITY_SETTINGS}


@pytest.fixture
def demo_site(db):
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def https_client(client):
    with override_settings(**production_security()):
        yield client


def public_urls() -> list[str]:
    urls = {page.url for page in Page.objects.live().public().specific() if page.url}
    return sorted(urls | {"/search/", "/search/?query=anxiety", "/no-such-page/"})


def test_every_public_page_scores_a_plus_by_observatory_rules(demo_site, https_client):
    for url in public_urls():
        response = https_client.get(url, secure=True)
        assert response.status_code in (200, 404), url
        score = score_response(response)
        assert score.total >= 100, (url, score.modifiers)


def test_public_html_has_no_inline_script_style_or_event_handler(demo_site, https_client):
    for url in public_urls():
        html = https_client.get(url, secure=True).content.decode()
        inline_scripts = [
            tag
            for tag in re.findall(r"<script\b[^>]*>", html)
            if "src=" not in tag and "application/ld+json" not in tag and "application/json" not in tag
        ]
        assert inline_scripts == [], url
        assert not re.search(r"\sstyle=\"", html), url
        assert not re.search(r"<style\b", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url


def test_public_pages_get_the_strict_policy_and_the_admin_its_own(demo_site, https_client, admin_user):
    public = https_client.get("/", secure=True)["Content-Security-Policy"]
    assert (
        "default-src 'none'" in public
        and "unsafe-inline" not in public
        and "frame-ancestors 'none'" in public
    )

    https_client.force_login(admin_user)
    admin = https_client.get("/admin/", secure=True)
    assert admin.status_code == 200
    assert "'unsafe-inline'" in admin["Content-Security-Policy"]


def test_plain_http_is_redirected_to_https_on_the_same_host(demo_site, https_client):
    response = https_client.get("/about/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/about/"


def test_hsts_cookies_and_the_other_headers_are_set(demo_site, https_client):
    response = https_client.get("/", secure=True)
    assert "max-age=63072000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_makes_no_request_to_a_third_party(admin_client, demo_site):
    for url in ("/admin/", "/admin/account/", "/admin/users/"):
        html = admin_client.get(url).content.decode()
        assert "gravatar" not in html.lower(), url
        loaded = re.findall(r'\ssrc="((?:https?:)?//[^"]+)"', html)
        loaded += re.findall(r'<link\b[^>]*\shref="((?:https?:)?//[^"]+)"', html)
        assert [u for u in loaded if "testserver" not in u] == [], url
