"""The search page: ranking, what a result shows, escaping, pagination, promotions, recorded queries, no results."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from tests.blog_factories import make_blog_index, make_post, simple_body
from tests.booking_factories import make_contact_page
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/search/", {"query": query, **params})
    assert response.status_code == 200
    return response


def found_titles(response) -> list[str]:
    return [hit.page.title for hit in response.context["hits"]]


def paragraph(text: str) -> list:
    return [("paragraph", f"<p>{text}</p>")]


# Ranking -------------------------------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match(client, home_page):
    make_standard_page(
        home_page,
        title="Fees",
        introduction="What sessions cost.",
        body=paragraph("Good sleep helps. Sleep matters. We talk about sleep and rest. " * 3),
    )
    make_standard_page(
        home_page,
        title="Sleep",
        introduction="Some words about rest, many words about nights, " * 4,
    )

    assert found_titles(search(client, "sleep")) == ["Sleep", "Fees"]


def test_a_tag_match_ranks_above_a_body_match(client, home_page):
    index = make_blog_index(home_page, introduction="Notes from the practice.")
    make_post(
        index,
        title="Nights awake",
        summary="Practical steps.",
        body=simple_body("Insomnia is common. Insomnia can be treated. More on insomnia. " * 3),
    )
    make_post(index, title="Calmer evenings", summary="A short routine.", tags=["insomnia"])

    assert found_titles(search(client, "insomnia")) == ["Calmer evenings", "Nights awake"]


def test_a_title_match_ranks_above_a_tag_match_and_both_above_the_body(client, home_page):
    index = make_blog_index(home_page, introduction="Notes from the practice.")
    make_post(index, title="Evening notes", summary="Rest.", body=simple_body("Grief takes time. " * 5))
    make_post(index, title="Loss and change", summary="Rest.", tags=["grief"])
    make_post(index, title="Grief", summary="Rest.")

    assert found_titles(search(client, "grief")) == ["Grief", "Loss and change", "Evening notes"]


def test_every_word_must_match_before_any_word_may(client, home_page):
    make_standard_page(home_page, title="Couples counseling", introduction="For two.")
    make_standard_page(home_page, title="Couples retreat", introduction="A weekend.")

    both = search(client, "couples counseling")
    assert found_titles(both) == ["Couples counseling"]
    assert both.context["outcome"].matched_all_words

    some = search(client, "couples zebra")
    assert set(found_titles(some)) == {"Couples counseling", "Couples retreat"}
    assert "No page has all of these words" in some.content.decode()


def test_all_words_may_be_split_between_the_title_and_the_text(client, home_page):
    index = make_blog_index(home_page, introduction="Notes from the practice.")
    make_post(
        index, title="Notes on anxiety", summary="Short.", body=simple_body("Breathing slowly helps. " * 3)
    )
    make_post(
        index, title="Evening notes", summary="Short.", body=simple_body("Anxiety eases with practice. " * 3)
    )
    make_post(index, title="Morning notes", summary="Short.", body=simple_body("Walking helps. " * 3))

    response = search(client, "notes anxiety")

    assert response.context["outcome"].matched_all_words
    assert set(found_titles(response)) == {"Notes on anxiety", "Evening notes"}


# What a result shows -------------------------------------------------------------------------------------------


def test_results_show_title_type_date_for_posts_and_an_excerpt_with_marked_words(client, home_page):
    index = make_blog_index(home_page, introduction="Notes from the practice.")
    make_post(
        index,
        title="Panic, explained",
        summary="What happens in the body during panic, and what helps.",
        date=datetime.date(2025, 3, 14),
    )
    make_standard_page(home_page, title="Services", introduction="We help with panic and worry.")

    html = search(client, "panic").content.decode()

    assert "<mark>Panic</mark>, explained" in html
    assert '<p class="search-result__meta">Article · <time' in html
    assert '<p class="search-result__meta">Page</p>' in html
    assert "Standard page" not in html and "Blog post" not in html
    assert '<time datetime="2025-03-14">March 14, 2025</time>' in html
    assert "What happens in the body during <mark>panic</mark>, and what helps." in html
    assert "We help with <mark>panic</mark> and worry." in html
    assert html.count("<time") == 1  # the standard page shows no date


def test_the_excerpt_comes_from_the_body_when_the_summary_does_not_match(client, home_page):
    long_body = (
        "Opening words. " * 40 + "Boundaries with family can be kind and firm. " + "Closing words. " * 40
    )
    make_standard_page(home_page, title="Family", introduction="About families.", body=paragraph(long_body))

    hit = search(client, "boundaries").context["hits"][0]

    assert "<mark>Boundaries</mark> with family can be kind and firm." in hit.excerpt_html
    assert hit.excerpt_html.startswith("… ") and hit.excerpt_html.endswith(" …")
    assert len(re.sub("<[^>]+>", "", hit.excerpt_html)) < 260


def test_html_in_content_and_query_is_escaped_and_only_marks_are_markup(client, home_page):
    make_standard_page(
        home_page,
        title="Worry <script>alert('title')</script>",
        slug="worry",
        introduction="Worry <script>alert('intro')</script> and <b>bold</b> claims.",
        body=paragraph("Worry &lt;img src=x onerror=alert(1)&gt; in the body."),
    )

    html = search(client, "<b>worry</b>").content.decode()

    assert "<script>alert" not in html and "<b>bold</b>" not in html and "<img src=x" not in html
    assert "<mark>Worry</mark> &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>worry" not in html
    assert "for “&lt;b&gt;worry&lt;/b&gt;”" in html
    assert 'value="&lt;b&gt;worry&lt;/b&gt;"' in html


def test_the_search_page_is_titled_search_not_indexed_and_accessible(client, home_page):
    make_standard_page(home_page, title="Anxiety", introduction="Help with anxiety.")

    html = search(client, "anxiety").content.decode()

    assert re.search(r"<title>Search \|", html)
    assert '<meta name="robots" content="noindex">' in html
    assert "<h1>Search</h1>" in html
    assert '<ol class="search-results" start="1">' in html
    assert "1 result for “anxiety”" in html
    assert html.count('role="search"') == 2  # the header's box and the page's own form


# Pagination ----------------------------------------------------------------------------------------------------


@pytest.fixture
def twenty_three_pages(home_page):
    for number in range(23):
        make_standard_page(home_page, title=f"Therapy note {number}", introduction="About therapy.")


def test_results_are_paginated_with_a_count_and_labelled_links(client, twenty_three_pages):
    first = search(client, "therapy")
    second = search(client, "therapy", page="2")
    html = second.content.decode()

    assert len(first.context["hits"]) == 10 and len(second.context["hits"]) == 10
    assert not set(found_titles(first)) & set(found_titles(second))
    assert "23 results for “therapy”" in html
    assert '<nav class="pagination" aria-label="Pages of search results">' in html
    assert 'aria-current="page" aria-label="Page 2, current page">2</a>' in html
    assert 'href="?query=therapy&amp;page=3" aria-label="Page 3"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert '<ol class="search-results" start="11">' in html


@pytest.mark.parametrize(
    ("page", "expected_number"),
    [("abc", 1), ("0", 3), ("-1", 3), ("99999", 3), ("1e309", 1), ("", 1), ("2.5", 1), ("3", 3)],
)
def test_a_bad_or_out_of_range_page_number_shows_a_page(client, twenty_three_pages, page, expected_number):
    response = search(client, "therapy", page=page)

    assert response.context["search_results"].number == expected_number
    assert response.context["hits"]


# Promotions and popular queries --------------------------------------------------------------------------------


def test_promoted_results_come_first_once_and_only_if_findable(client, home_page):
    make_standard_page(home_page, title="Anxiety", introduction="All about anxiety.")
    fees = make_standard_page(home_page, title="Fees", introduction="What it costs.")
    draft = make_standard_page(home_page, title="Secret plans", introduction="Not yet.", live=False)
    also_anxiety = make_standard_page(home_page, title="Anxiety in teens", introduction="Anxiety, younger.")
    query = Query.get("anxiety")
    SearchPromotion.objects.create(query=query, page=fees, sort_order=0, description="Start <here>.")
    SearchPromotion.objects.create(query=query, page=draft, sort_order=1)
    SearchPromotion.objects.create(query=query, page=also_anxiety, sort_order=2)
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://example.org/help",
        external_link_text="Help line",
        sort_order=3,
    )

    response = search(client, "Anxiety")
    html = response.content.decode()
    promotions = response.context["outcome"].promotions

    assert [p.title for p in promotions] == ["Fees", "Anxiety in teens", "Help line"]
    assert html.index("Recommended") < html.index('class="search-results" start="1"')
    assert found_titles(response) == ["Anxiety"]  # the promoted "Anxiety in teens" is not listed twice
    assert "Secret plans" not in html
    assert "Start &lt;here&gt;." in html
    assert "4 results for “Anxiety”" in html


def test_each_search_is_recorded_for_the_counselor_on_the_first_page_only(client, home_page):
    for number in range(12):
        make_standard_page(home_page, title=f"Grief note {number}")

    search(client, "  Grief ")
    search(client, "grief")
    search(client, "grief", page="2")
    search(client, "")
    search(client, "!!! ***")
    search(client, "nothing matches this")

    assert Query.objects.get(query_string="grief").hits == 2
    assert Query.objects.get(query_string="nothing matches this").hits == 1
    assert set(Query.objects.values_list("query_string", flat=True)) == {"grief", "nothing matches this"}


# No results ----------------------------------------------------------------------------------------------------


def test_no_results_suggests_the_newest_posts_and_the_contact_page(client, home_page):
    index = make_blog_index(home_page)
    for day in (1, 2, 3, 4):
        make_post(index, title=f"Post of day {day}", date=datetime.date(2025, 5, day))
    make_post(index, title="Unpublished idea", date=datetime.date(2025, 6, 1), live=False)
    make_contact_page(home_page, title="Contact us")

    response = search(client, "xylophone")
    html = response.content.decode()

    assert "0 results for “xylophone”" in html
    assert [p.title for p in response.context["recent_posts"]] == [
        "Post of day 4",
        "Post of day 3",
        "Post of day 2",
    ]
    assert "Unpublished idea" not in html and "Post of day 1" not in html
    assert '<a href="/contact/">Contact us</a>' in html


def test_no_results_without_posts_or_contact_page_still_helps(client, home_page):
    html = search(client, "xylophone").content.decode()

    assert "0 results for “xylophone”" in html
    assert "Try a shorter or more general word" in html
    assert "Recent posts" not in html


def test_an_empty_query_shows_the_form_and_records_nothing(client, home_page):
    html = search(client, "").content.decode()

    assert 'id="search-page-query"' in html and "Type a word or two" in html
    assert "results for" not in html
    assert not Query.objects.exists()


# Cost ----------------------------------------------------------------------------------------------------------


def test_a_search_costs_the_same_number_of_queries_however_many_pages_match(client, home_page):
    index = make_blog_index(home_page, introduction="Notes.")
    make_post(index, title="Stress one", tags=["stress"])
    make_standard_page(home_page, title="Stress at work")
    search(client, "stress")  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as few:
        search(client, "stress")

    for number in range(8):
        make_post(index, title=f"Stress {number}", tags=["stress"])
        make_standard_page(home_page, title=f"Stress page {number}")
    search(client, "stress")  # publishing cleared the cached site root paths
    with CaptureQueriesContext(connection) as many:
        search(client, "stress")

    # One query per page type on the results page, so never more than with two results of the same two types.
    assert len(many.captured_queries) <= len(few.captured_queries)
    assert len(many.captured_queries) <= 16
