"""Suggestions as you type: a JSON endpoint over the pages' AutocompleteFields, and the header box it serves."""

import re

import pytest
from django.conf import settings

from tests.blog_factories import make_blog_index, make_post
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db


def suggest(client, query: str) -> dict:
    response = client.get("/search/suggest/", {"query": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_suggestions_find_pages_by_the_start_of_a_title_word(client, home_page):
    make_standard_page(home_page, title="Anxiety and sleep", slug="anxiety-and-sleep")
    make_standard_page(home_page, title="Fees", introduction="Anxiety is mentioned only here.")

    data = suggest(client, "anx")

    assert data == {
        "query": "anx",
        "results": [{"title": "Anxiety and sleep", "url": "/anxiety-and-sleep/", "type": "Page"}],
    }


def test_suggestions_match_every_word_typed_with_the_last_as_a_prefix(client, home_page):
    make_standard_page(home_page, title="Couples counseling")
    make_standard_page(home_page, title="Couples retreat")

    assert [item["title"] for item in suggest(client, "couples coun")["results"]] == ["Couples counseling"]


def test_suggestions_cover_blog_posts_with_their_type(client, home_page):
    index = make_blog_index(home_page)
    make_post(index, title="Grief in winter", slug="grief-in-winter")

    assert suggest(client, "grie")["results"] == [
        {"title": "Grief in winter", "url": "/blog/grief-in-winter/", "type": "Article"}
    ]


def test_suggestions_are_capped_at_eight(client, home_page):
    for number in range(11):
        make_standard_page(home_page, title=f"Mindful moment {number}")

    assert len(suggest(client, "mindful")["results"]) == 8


def test_one_letter_gives_no_suggestions_and_costs_no_search(
    client, home_page, django_assert_max_num_queries
):
    make_standard_page(home_page, title="Anxiety")

    with django_assert_max_num_queries(2):
        assert suggest(client, "a")["results"] == []


def test_the_suggestion_query_is_capped(client, home_page):
    data = suggest(client, "anxiety " * 100)

    assert len(data["query"]) <= 60


def test_suggestions_are_not_cached_or_indexed(client, home_page):
    response = client.get("/search/suggest/", {"query": "anx"})

    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_every_page_has_the_search_box_which_works_without_javascript(client, home_page):
    about = make_standard_page(home_page, title="About")

    for url in ["/", about.url, "/search/?query=about"]:
        html = client.get(url).content.decode()
        assert (
            '<form class="search-box" action="/search/" method="get" role="search" aria-label="Site search"'
            in html
        )
        assert 'data-suggest-url="/search/suggest/"' in html
        assert '<label for="site-search" class="visually-hidden">Search this site</label>' in html
        assert 'name="query"' in html and '<button type="submit">Search</button>' in html
        assert '<script src="/static/js/search-suggest.js" defer></script>' in html


def test_the_box_and_its_script_need_no_inline_script_style_or_handlers():
    script = (settings.BASE_DIR / "static/js/search-suggest.js").read_text()
    box = (settings.BASE_DIR / "templates/includes/search_box.html").read_text()

    assert ".innerHTML" not in script and ".outerHTML" not in script and "eval(" not in script
    assert ".style" not in script and 'setAttribute("style' not in script
    assert 'setAttribute("role", "combobox")' in script and "aria-activedescendant" in script
    assert not re.search(r"\son[a-z]+=", box) and "style=" not in box
    assert re.findall(r"<script[^>]*>", box) == ["<script src=\"{% static 'js/search-suggest.js' %}\" defer>"]
