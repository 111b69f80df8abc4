"""Words for people, not for developers: time zones as visitors say them, page kinds in search, tag names rather
than slugs, and the blog's year and month archives linked from the blog."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from booking.templatetags.office_hours_tags import timezone_label
from tests.blog_factories import make_blog_index, make_post
from tests.booking_factories import make_office_hours

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("America/New_York", "Eastern Time"),
        ("America/Detroit", "Eastern Time"),
        ("America/Chicago", "Central Time"),
        ("America/Denver", "Mountain Time"),
        ("America/Phoenix", "Mountain Time"),
        ("America/Los_Angeles", "Pacific Time"),
        ("America/Anchorage", "Alaska Time"),
        ("Pacific/Honolulu", "Hawaii Time"),
        ("America/Halifax", "Atlantic Time"),
        ("Europe/Berlin", "Berlin time"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires time"),
        ("Asia/Shanghai", "Shanghai time"),  # CST here is China Standard Time, not Central
        ("Not/A_Zone", "Not/A_Zone"),
        ("", ""),
    ],
)
def test_time_zones_are_named_as_visitors_say_them(zone, label):
    assert timezone_label(zone) == label


def test_confirmation_email_names_the_zone_in_words():
    hours = make_office_hours()
    week = hours.schedule().week(datetime.datetime(2026, 6, 1, 14, tzinfo=datetime.UTC))
    text = render_to_string("emails/confirmation.txt", {"office_hours": hours, "week": week})
    html = render_to_string("emails/confirmation.html", {"office_hours": hours, "week": week})

    assert "OFFICE HOURS (Eastern Time)" in text
    assert "Times are in Eastern Time." in html
    assert "America/New_York" not in text + html


def test_blog_index_links_each_year_and_month_with_posts_newest_first(client, home_page):
    index = make_blog_index(home_page)
    make_post(index, date=datetime.date(2025, 11, 3))
    make_post(index, date=datetime.date(2025, 11, 20))
    make_post(index, date=datetime.date(2026, 2, 14))
    make_post(index, date=datetime.date(2024, 7, 1), live=False)  # a draft opens no archive

    html = client.get("/blog/").content.decode()
    archive_html = html[html.index('<ul class="archive-list">') : html.index("<h2>Follow the blog</h2>")]

    years = re.findall(r'<a href="/blog/(\d{4})/">\1</a>', archive_html)
    months = re.findall(r'<a href="/blog/(\d{4}/\d{2})/">(\w+)</a>', archive_html)
    assert years == ["2026", "2025"]
    assert months == [("2026/02", "February"), ("2025/11", "November")]
    assert '<span class="tag-count">2<span class="visually-hidden"> posts</span></span>' in archive_html
    assert "2024" not in archive_html

    month_page = client.get("/blog/2025/11/").content.decode()
    assert '<a href="/blog/2025/11/" aria-current="page">November</a>' in month_page


def test_a_post_links_to_its_month_in_the_archive(client, home_page):
    post = make_post(make_blog_index(home_page), date=datetime.date(2025, 11, 3))

    html = client.get(post.url).content.decode()

    assert 'More posts from <a href="/blog/2025/11/">November 2025</a>.' in html
    assert client.get("/blog/2025/11/").status_code == 200


def test_demo_tags_read_as_words_and_search_names_page_kinds_plainly(client):
    call_command("load_demo_content", stdout=StringIO())

    blog = client.get("/blog/").content.decode()
    assert re.search(r'<a href="/blog/tag/starting-therapy/">starting therapy', blog)

    results = client.get("/search/", {"query": "first session"}).content.decode()
    labels = set(re.findall(r'<p class="search-result__meta">([^<·]+?)(?: ·|</p>)', results))
    assert labels and labels <= {"Article", "Blog", "Page", "Contact"}
