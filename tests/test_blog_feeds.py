"""RSS and Atom feeds: valid, full content with absolute URLs from the Wagtail Site, stable ids, conditional GET."""

import datetime
import re

import feedparser
import pytest
from django.utils.http import http_date
from wagtail.models import Site

from tests.blog_factories import make_image, make_post, rich_body
from tests.factories import make_standard_page, publish

pytestmark = pytest.mark.django_db

FEEDS = ["/blog/feed/rss/", "/blog/feed/atom/"]


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("url", FEEDS)
def test_feed_is_valid_and_lists_posts_newest_first(client, blog_index, url):
    make_post(blog_index, title="Older", date=datetime.date(2025, 1, 1))
    make_post(blog_index, title="Newer", date=datetime.date(2025, 2, 1))
    response, feed = parse(client, url)
    expected_type = "application/atom+xml" if "atom" in url else "application/rss+xml"
    assert response["Content-Type"].startswith(expected_type)
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    assert feed.feed.link == "http://testserver/blog/"


@pytest.mark.parametrize("url", FEEDS)
def test_feed_entries_carry_full_content_with_absolute_links_and_images(client, blog_index, url):
    about = make_standard_page(blog_index.get_parent(), title="About")
    image = make_image()
    body = rich_body(image=image, cta_page=about)
    body.append(("paragraph", f'<p>Read <a linktype="page" id="{about.pk}">about us</a>.</p>'))
    image.description = "Calm water"
    image.save()
    make_post(blog_index, title="Full", hero_image=image, body=body)
    _, feed = parse(client, url)
    content = feed.entries[0].content[0].value
    assert "Where to begin" in content and "Small steps count." in content
    urls = re.findall(r'(?:href|src)="([^"]+)"', content)
    urls += [c.strip().split()[0] for s in re.findall(r'srcset="([^"]+)"', content) for c in s.split(",")]
    assert urls, content
    assert all(u.startswith(("http://testserver/", "https://example.org/")) for u in urls), urls
    assert "http://testserver/about/" in urls
    assert any("/media/images/" in u and "fill-1200x630" in u for u in urls)
    assert "example.com" not in content


def test_absolute_urls_use_the_wagtail_sites_scheme_and_host(client, blog_index):
    Site.objects.filter(is_default_site=True).update(hostname="counseling.example", port=443)
    make_post(blog_index)
    response = client.get("/blog/feed/atom/", HTTP_HOST="counseling.example:443", secure=True)
    feed = feedparser.parse(response.content)
    assert feed.entries[0].link.startswith("https://counseling.example/blog/")
    assert "example.com" not in response.content.decode()


def test_atom_entries_have_author_updated_and_timezone_aware_dates(client, blog_index):
    make_post(blog_index, title="Dated", date=datetime.date(2025, 4, 2))
    response, feed = parse(client, "/blog/feed/atom/")
    entry = feed.entries[0]
    assert entry.author == "Maya Ellison, LCMHC"
    assert entry.updated and entry.published
    xml = response.content.decode()
    assert re.search(r"<published>2025-04-02T\d\d:\d\d:\d\d[^<]*(?:Z|[+-]\d\d:\d\d)</published>", xml)
    assert re.search(r"<updated>[^<]+(?:Z|[+-]\d\d:\d\d)</updated>", xml)
    assert entry.summary == "Summary of post" + entry.summary.removeprefix("Summary of post")


def test_rss_items_have_pubdate_with_zone_and_content_encoded(client, blog_index):
    make_post(blog_index)
    response, feed = parse(client, "/blog/feed/rss/")
    xml = response.content.decode()
    assert re.search(r"<pubDate>\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}</pubDate>", xml)
    assert "<content:encoded>" in xml
    assert feed.entries[0].published_parsed


def test_entry_id_survives_a_change_of_slug(client, blog_index):
    post = make_post(blog_index, slug="first-name")
    _, before = parse(client, "/blog/feed/atom/")
    _, before_rss = parse(client, "/blog/feed/rss/")
    post.slug = "second-name"
    publish(post)
    _, after = parse(client, "/blog/feed/atom/")
    _, after_rss = parse(client, "/blog/feed/rss/")
    assert after.entries[0].link.endswith("/second-name/")
    assert before.entries[0].id == after.entries[0].id
    assert before_rss.entries[0].id == after_rss.entries[0].id
    assert after.entries[0].id.startswith("tag:testserver,") and str(post.pk) in after.entries[0].id


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_tag_feed_lists_only_posts_with_that_tag(client, blog_index, kind):
    make_post(blog_index, title="Sleep", tags=["sleep"])
    make_post(blog_index, title="Grief", tags=["grief"])
    _, feed = parse(client, f"/blog/tag/sleep/feed/{kind}/")
    assert [entry.title for entry in feed.entries] == ["Sleep"]
    assert "sleep" in feed.feed.title.lower()
    assert client.get(f"/blog/tag/unknown/feed/{kind}/").status_code == 404


def test_feed_sets_last_modified_and_answers_304_to_if_modified_since(client, blog_index, settings):
    settings.PAGE_CACHE_SECONDS = 0  # prove the view and ConditionalGetMiddleware, not the page cache
    make_post(blog_index)
    first = client.get("/blog/feed/atom/")
    assert first["Last-Modified"]
    again = client.get("/blog/feed/atom/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    stale = client.get("/blog/feed/atom/", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert stale.status_code == 200


def test_feed_answers_304_to_a_matching_etag(client, blog_index):
    make_post(blog_index)
    first = client.get("/blog/feed/rss/")
    again = client.get("/blog/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_publishing_a_post_changes_the_feed(client, blog_index):
    make_post(blog_index, title="One")
    first = client.get("/blog/feed/rss/")
    make_post(blog_index, title="Two")
    second = client.get("/blog/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Two" in second.content.decode()
