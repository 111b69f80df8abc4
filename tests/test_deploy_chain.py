"""Production settings behind deploy/nginx.conf and a TLS terminator (tests/tls_chain.py), over real HTTPS.

The terminator says `X-Forwarded-Proto: https`; deploy/nginx.conf must pass it on, or Django sees plain HTTP: no
HSTS, http:// links, and with SECURE_SSL_REDIRECT an endless redirect to the page itself. Each check runs through
both terminators: Debian's nginx with a self-signed certificate, and the shipped deploy/Caddyfile.
"""

import re
import time

import pytest
import requests

from home.demo import DEMO_ADMIN_USERNAME, DEMO_PASSWORD
from tests.services import require_service
from tests.tls_chain import hidden_value

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PATHS = ["/", "/blog/", "/contact/", "/about/", "/admin/login/"]


@pytest.fixture(params=["nginx", "caddy"])
def terminator(request, tls_chain) -> str:
    require_service(
        request.param in tls_chain.terminators, "needs caddy (apt-get install caddy) for deploy/Caddyfile"
    )
    return request.param


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>)]+", text)


def test_every_page_through_the_terminator_sends_hsts(tls_chain, terminator):
    client = tls_chain.client(terminator)
    for path in PUBLIC_PATHS:
        response = client.get(tls_chain.url(path))
        assert response.status_code == 200, path
        assert response.url == tls_chain.url(path), f"{path} was redirected to {response.url}"
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert "max-age=63072000" in hsts and "includeSubDomains" in hsts, path


def test_canonical_links_og_url_and_feeds_use_the_https_address(tls_chain, terminator):
    client = tls_chain.client(terminator)
    home = client.get(tls_chain.url("/")).text
    assert '<link rel="canonical" href="https://practice.test/">' in home

    blog = client.get(tls_chain.url("/blog/")).text
    post_path = re.search(r'href="(/blog/[a-z0-9-]+/)"', blog).group(1)
    post = client.get(tls_chain.url(post_path)).text
    assert f'<meta property="og:url" content="https://practice.test{post_path}">' in post
    assert f'<link rel="canonical" href="https://practice.test{post_path}">' in post

    for feed in ("/blog/feed/rss/", "/blog/feed/atom/"):
        links = links_in(client.get(tls_chain.url(feed)).text)
        site_links = [link for link in links if "practice.test" in link]
        assert site_links, feed
        assert all(link.startswith("https://practice.test/") for link in site_links), feed
        assert not any(link.startswith("http://practice.test") for link in links), feed


def test_a_page_made_private_is_no_longer_served_by_the_front_proxy_once_its_copy_expires(tls_chain):
    """deploy/nginx.conf keeps anonymous pages 5 s. A stale copy served "while updating" was served again on every
    request after that, because the page's new answer (a password form, which sets a CSRF cookie) is never stored."""
    client = tls_chain.client()
    assert 'name="password"' not in client.get(tls_chain.url("/about/")).text
    # As the editor's privacy dialog saves it: in the site's own process, whose signals renew its page cache.
    tls_chain.manage(
        "shell",
        "-c",
        "from wagtail.models import Page, PageViewRestriction; PageViewRestriction.objects.create("
        "page=Page.objects.get(url_path='/home/about/'), restriction_type='password', password='private-1')",
    )

    time.sleep(6)
    for _ in range(3):
        response = client.get(tls_chain.url("/about/"))
        assert 'name="password"' in response.text, response.headers.get("X-Cache-Status")


def test_admin_sign_in_works_with_secure_httponly_cookies(tls_chain, terminator):
    client = tls_chain.client(terminator)
    login_url = tls_chain.url("/admin/login/")
    form = client.get(login_url)
    token = hidden_value(form.text, "csrfmiddlewaretoken")

    response = client.post(
        login_url,
        data={"csrfmiddlewaretoken": token, "username": DEMO_ADMIN_USERNAME, "password": DEMO_PASSWORD},
        headers={"Referer": login_url},
    )

    assert response.status_code == 200
    assert response.url == tls_chain.url("/admin/")
    assert "Sign out" in response.text or "Log out" in response.text
    cookies = {cookie.name: cookie for cookie in client.cookies}
    assert {"sessionid", "csrftoken"} <= set(cookies)
    assert all(cookie.secure for cookie in cookies.values())
    assert cookies["sessionid"].has_nonstandard_attr("HttpOnly")


def test_contact_request_emails_link_to_the_https_address(tls_chain, smtp_sink):
    client = tls_chain.client()
    data, fetched_at = tls_chain.contact_form(client)

    response = tls_chain.post_contact_form(client, data, fetched_at)

    assert response.status_code == 200 and response.url == tls_chain.url("/contact/thanks/")
    messages = smtp_sink.wait_for(2, timeout=60)
    assert len(messages) == 2, tls_chain.log("worker")[-3000:]
    for message in messages:
        bodies = "\n".join(
            part.get_payload(decode=True).decode()
            for part in message.walk()
            if part.get_content_type() in {"text/plain", "text/html"}
        )
        site_links = [link for link in links_in(bodies) if "practice.test" in link]
        assert site_links, message["Subject"]
        assert all(link.startswith("https://practice.test") for link in site_links), message["Subject"]


@pytest.mark.parametrize(
    ("forwarded_proto", "expected_status"),
    [(None, 301), ("gopher", 301), ("http", 301), ("https", 200)],
)
def test_the_front_proxy_keeps_only_a_real_scheme_from_the_terminator(
    tls_chain, forwarded_proto, expected_status
):
    """Straight to deploy/nginx.conf's port: without the terminator's header the request was plain HTTP and is
    redirected to https; anything but http/https is not passed on."""
    headers = {"Host": "practice.test"}
    if forwarded_proto:
        headers["X-Forwarded-Proto"] = forwarded_proto

    response = requests.get(
        f"http://127.0.0.1:{tls_chain.front_port}/about/", headers=headers, allow_redirects=False, timeout=30
    )

    assert response.status_code == expected_status
    if expected_status == 301:
        assert response.headers["Location"] == "https://practice.test/about/"
