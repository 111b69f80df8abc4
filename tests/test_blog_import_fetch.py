"""Feeds by URL and images from the old blog, fetched from a local server: time and size limits hold, and the
server's own network is out of reach unless allowed."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from blog.importing.fetch import FetchError, fetch
from blog.importing.images import ImageUnavailable, TrackingPixel, download_image
from blog.importing.items import SourceError
from blog.importing.limits import ImportLimits
from blog.importing.sources import open_source
from blog.models import BlogPage
from tests.blog_import_helpers import old_blog_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def limits(**changes) -> ImportLimits:
    values = {
        "max_source_bytes": 20 * 1024 * 1024,
        "max_image_bytes": 1024 * 1024,
        "timeout_seconds": 1.0,
        "allow_private_addresses": True,
    }
    return ImportLimits(**{**values, **changes})


def test_a_feed_url_is_imported_like_a_file(blog_index, old_blog):
    out = StringIO()
    call_command("import_posts", old_blog.url + "/feed/atom/", stdout=out)
    assert "Atom feed: 2 created." in out.getvalue()
    assert BlogPage.objects.filter(slug="winter-and-low-mood").exists()


def test_a_feed_url_that_does_not_answer_in_time_is_reported_and_nothing_is_written(blog_index, old_blog):
    started = time.monotonic()
    with pytest.raises(
        CommandError, match=r"The feed could not be downloaded: .* did not answer within 1 seconds"
    ):
        call_command("import_posts", old_blog.url + "/slow-feed/", stdout=StringIO())
    assert time.monotonic() - started < old_blog.slow_seconds
    assert not BlogPage.objects.exists()


def test_a_feed_url_that_is_a_web_page_or_missing_is_named_for_what_it_is(old_blog):
    with pytest.raises(SourceError, match="This is a web page, not a feed"):
        open_source(old_blog.url + "/page.html", limits=limits())
    with pytest.raises(SourceError, match=r"answered with an error \(404\)"):
        open_source(old_blog.url + "/no-such-feed/", limits=limits())


def test_a_download_stops_at_the_size_limit_even_without_a_content_length(old_blog):
    with pytest.raises(FetchError, match="is larger than 1 MB"):
        fetch(old_blog.url + "/huge.jpg", max_bytes=1024 * 1024, limits=limits())


def test_images_are_checked_for_what_they_are(old_blog):
    lake = download_image(old_blog.url + "/wp-content/uploads/2021/03/lake.jpg", limits=limits())
    assert lake.extension == "jpg" and lake.filename == "lake.jpg"
    with pytest.raises(TrackingPixel):
        download_image(old_blog.url + "/pixel.gif", limits=limits())
    with pytest.raises(ImageUnavailable, match="is not an image this site can show"):
        download_image(old_blog.url + "/not-an-image.jpg", limits=limits())
    with pytest.raises(ImageUnavailable, match="larger than 1 MB"):
        download_image(old_blog.url + "/huge.jpg", limits=limits())


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/feed/",
        "http://10.0.0.8/feed/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed/",
        "http://localhost/feed/",
    ],
)
def test_addresses_on_the_servers_own_network_are_refused_by_default(url):
    with pytest.raises(FetchError, match="on a private network"):
        fetch(url, max_bytes=1024, limits=limits(allow_private_addresses=False))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://old.example/feed", "gopher://x/"])
def test_only_web_addresses_are_fetched(url):
    with pytest.raises(FetchError, match="is not a web address"):
        fetch(url, max_bytes=1024, limits=limits())


def test_a_redirect_to_a_private_address_is_refused(old_blog, monkeypatch):
    """The first address is allowed here (the local test server); the redirect's target is checked again."""
    import urllib.request

    import blog.importing.fetch as fetch_module

    original = fetch_module.check_url
    monkeypatch.setattr(fetch_module._CheckedHTTPHandler, "http_open", urllib.request.HTTPHandler.http_open)

    def allow_only_the_test_server(url: str, *, allow_private_addresses: bool) -> None:
        original(url, allow_private_addresses=url.startswith(old_blog.url))

    monkeypatch.setattr(fetch_module, "check_url", allow_only_the_test_server)
    with pytest.raises(FetchError, match="169.254.169.254 is on a private network"):
        fetch(old_blog.url + "/elsewhere/", max_bytes=1024, limits=limits(allow_private_addresses=False))


def test_a_name_that_resolves_to_a_private_address_only_when_connecting_is_refused(old_blog, monkeypatch):
    """DNS rebinding: the check before the request passes (as if the name had looked public), the connection's
    own address is checked again."""
    import blog.importing.fetch as fetch_module

    monkeypatch.setattr(fetch_module, "check_url", lambda url, *, allow_private_addresses: None)
    with pytest.raises(FetchError, match="127.0.0.1 is on a private network"):
        fetch(
            old_blog.url + "/feed/rss/", max_bytes=1024 * 1024, limits=limits(allow_private_addresses=False)
        )
    assert "/feed/rss/" not in old_blog.requests
