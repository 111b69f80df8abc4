"""The cost of a blog page in SQL queries does not grow with the number of posts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.blog_factories import make_image, make_post, rich_body
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db

URLS = [
    "/blog/",
    "/blog/?page=2",
    "/blog/tag/calm/",
    "/blog/2025/",
    "/blog/feed/rss/",
    "/blog/feed/atom/",
    "POST",
]

# What the blog itself adds on top of what every Wagtail page costs (site, routing, view restrictions, the
# practice settings, menu and footer), compared with a plain standard page.
BLOG_QUERIES_AT_MOST = 9


def add_posts(index, count: int, image, contact) -> list:
    return [
        make_post(
            index,
            tags=["calm", f"topic-{n % 4}"],
            hero_image=image,
            body=rich_body(image=image, cta_page=contact),
        )
        for n in range(count)
    ]


def count_queries(client, url: str) -> int:
    client.get(url)  # renditions are created on first view; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def baseline(client, home_page) -> int:
    page = make_standard_page(home_page, title="Baseline")
    return count_queries(client, page.url)


def test_query_count_is_the_same_for_3_and_30_posts(client, blog_index, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    blog_index.posts_per_page = 10
    image = make_image()
    contact = make_standard_page(blog_index.get_parent(), title="Contact")

    few = add_posts(blog_index, 3, image, contact)
    targets = [few[0].url if url == "POST" else url for url in URLS]
    small = {url: count_queries(client, url) for url in targets}

    add_posts(blog_index, 27, image, contact)
    large = {url: count_queries(client, url) for url in targets}

    assert small == large


@pytest.mark.parametrize("url", ["/blog/", "/blog/tag/calm/", "/blog/feed/rss/", "/blog/feed/atom/", "POST"])
def test_blog_adds_a_small_fixed_number_of_queries_to_a_page(client, blog_index, home_page, settings, url):
    settings.PAGE_CACHE_SECONDS = 0
    image = make_image()
    contact = make_standard_page(home_page, title="Contact")
    posts = add_posts(blog_index, 12, image, contact)
    base = baseline(client, home_page)
    used = count_queries(client, posts[0].url if url == "POST" else url)
    assert used - base <= BLOG_QUERIES_AT_MOST, f"{url}: {used} queries, {base} for a plain page"


def test_a_cached_blog_page_costs_no_queries(client, blog_index, django_assert_num_queries):
    make_post(blog_index)
    client.get("/blog/feed/rss/")
    with django_assert_num_queries(0):
        assert client.get("/blog/feed/rss/").status_code == 200
