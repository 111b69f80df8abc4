"""What the frame keeps until the next publish (home.frame_cache.remember_until_publish): which pages are private,
the home page's children that routing starts from, and the blog's tag and archive links with their counts. Each is
read once per generation of the pages and must follow every change that could alter it at once.

The page cache is off in these tests (PAGE_CACHE_SECONDS = 0), so each request renders, with the frame warm.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.frame_cache import close_frame, open_frame, remember, remember_until_publish
from tests.blog_factories import make_post, restrict
from tests.factories import make_standard_page, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_a_new_pages_generation_drops_what_is_kept_until_publish_and_keeps_the_frame():
    frame, token = open_frame("practice.example", 5, 7, None)
    remember("menu", lambda: "menu as built")
    remember_until_publish("tags", lambda: "tags as built")
    close_frame(token)
    _, stored, _ = frame.entry()

    _, token = open_frame("practice.example", 5, 7, stored)
    assert remember_until_publish("tags", lambda: "built again") == "tags as built"
    close_frame(token)

    _, token = open_frame("practice.example", 5, 8, stored)  # a post was published
    assert remember("menu", lambda: "built again") == "menu as built"
    assert remember_until_publish("tags", lambda: "built again") == "built again"
    close_frame(token)


def test_outside_a_request_nothing_is_kept():
    built = []
    for _ in range(2):
        remember_until_publish("tags", lambda: built.append("tags") or len(built))
    assert built == ["tags", "tags"]


def test_a_page_under_a_parent_restricted_after_a_visit_asks_for_the_password_at_once(client, home_page):
    parent = make_standard_page(home_page, title="Groups")
    child = make_standard_page(parent, title="Thursday group")
    assert "Thursday group" in html(client, child.url)

    restrict(parent, password="s3cret-word")

    page = html(client, child.url)
    assert "Thursday group" not in page
    assert 'name="password"' in page


def test_an_alias_of_a_restricted_page_asks_for_the_password(client, home_page):
    private = make_standard_page(home_page, title="Client notes")
    restrict(private, password="s3cret-word")
    alias = private.create_alias(parent=home_page, update_slug="notes-for-clients")
    html(client, "/")  # the frame is warm

    page = html(client, alias.url)
    assert 'name="password"' in page


def test_routing_follows_a_new_slug_a_new_page_and_an_unpublished_one(client, home_page):
    page = make_standard_page(home_page, title="Services")
    assert "Services" in html(client, "/services/")

    page.slug = "what-we-offer"
    publish(page)
    assert client.get("/services/").status_code == 404
    assert "Services" in html(client, "/what-we-offer/")

    make_standard_page(home_page, title="Fees")
    assert "Fees" in html(client, "/fees/")

    page.unpublish()
    assert client.get("/what-we-offer/").status_code == 404


def test_a_draft_child_of_the_home_page_is_not_served(client, home_page):
    make_standard_page(home_page, title="Coming soon", live=False)
    html(client, "/")
    assert client.get("/coming-soon/").status_code == 404


def test_a_new_post_shows_its_tag_and_month_in_every_listing_at_once(client, blog_index):
    make_post(blog_index, tags=["sleep"], date=datetime.date(2025, 3, 4))
    listing = html(client, "/blog/")
    assert "/blog/tag/grief/" not in listing

    make_post(blog_index, title="After a loss", tags=["grief"], date=datetime.date(2025, 11, 20))

    listing = html(client, "/blog/")
    assert 'href="/blog/tag/grief/"' in listing
    assert 'href="/blog/2025/11/"' in listing
    assert "After a loss" in html(client, "/blog/tag/grief/")
    assert "After a loss" in html(client, "/blog/2025/11/")


def test_listings_page_through_the_counts_they_show_without_counting_again(client, blog_index):
    blog_index.posts_per_page = 3
    publish(blog_index)
    for day in range(1, 8):
        make_post(blog_index, title=f"March {day}", tags=["sleep"], date=datetime.date(2025, 3, day))
    make_post(blog_index, title="Draft in March", tags=["sleep"], date=datetime.date(2025, 3, 9), live=False)
    html(client, "/blog/")

    with CaptureQueriesContext(connection) as queries:
        last_of_tag = html(client, "/blog/tag/sleep/?page=3")
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    assert "March 1" in last_of_tag and "March 2" not in last_of_tag
    assert 'aria-current="page">3</a>' in last_of_tag
    assert "Draft in March" not in last_of_tag

    last_of_month = html(client, "/blog/2025/03/?page=9")  # past the end: the last page
    assert "March 1" in last_of_month and 'aria-current="page">3</a>' in last_of_month
    assert client.get("/blog/2024/").status_code == 404


def test_pagination_links_the_ends_and_the_pages_around_the_current_one(client, blog_index):
    blog_index.posts_per_page = 1
    publish(blog_index)
    for _ in range(15):
        make_post(blog_index)

    def page_links(number: int) -> list[str]:
        page = html(client, f"/blog/?page={number}")
        pages = page[page.index('<ul class="pagination__pages">') :]
        pages = pages[: pages.index("</ul>")]
        return [item.split(">", 1)[1].split("<")[0] for item in pages.split("<li>")[1:]]

    assert page_links(1) == ["1", "2", "3", "…", "15"]
    assert page_links(8) == ["1", "…", "6", "7", "8", "9", "10", "…", "15"]
    assert page_links(15) == ["1", "…", "13", "14", "15"]
