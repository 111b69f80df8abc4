"""Whatever a visitor (or a bot) types, search answers with a page, never an error; the query is cleaned and capped."""

import pytest
from wagtail.contrib.search_promotions.models import Query

from search.text import MAX_QUERY_LENGTH, clean_query, excerpt, highlight, search_terms, term_pattern
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "",
    "   ",
    "a",
    "x" * 1000,
    "anxiety " * 125,
    '"anxiety help"',
    "'",
    '"',
    "''''",
    "anxiety AND sleep",
    "anxiety OR sleep",
    "NOT anxiety",
    "AND",
    "OR OR OR",
    "-anxiety",
    "+anxiety",
    "*",
    "anx*",
    "anxiety -sleep +calm",
    "'; DROP TABLE wagtailcore_page; --",
    "1' OR '1'='1",
    "anxiety\\",
    "\\",
    "%",
    "_",
    "%_%",
    "(anxiety",
    "anxiety)",
    "NEAR(anxiety sleep)",
    "title:anxiety",
    "anxiety:*",
    "!anxiety & calm | sleep",
    "<script>alert(1)</script>",
    "{{ request }}",
    "{% debug %}",
    "😀",
    "😀 anxiety 🌙",
    "不安",
    "社会不安障害",
    "القلق",
    "тревога",
    "ângst ñandú",
    "a\x00b",
    "anxiety\x07\x1b[31m",
    "\u202eytixna",
    "\ufeffanxiety",
]


@pytest.fixture
def content(home_page):
    make_standard_page(
        home_page, title="Anxiety", introduction="Help with anxiety and sleep. 不安 القلق тревога."
    )
    make_standard_page(home_page, title="Sleep", introduction="Calm evenings.")


def test_odd_input_gives_a_search_page(client, content):
    for query in ODD_QUERIES:
        response = client.get("/search/", {"query": query})

        assert response.status_code == 200, query
        html = response.content.decode()
        assert "<h1>Search</h1>" in html, query
        assert "<script>alert" not in html, query
        assert len(response.context["search_query"]) <= MAX_QUERY_LENGTH, query


def test_odd_input_gives_suggestions_json(client, content):
    for query in ODD_QUERIES:
        response = client.get("/search/suggest/", {"query": query})

        assert response.status_code == 200, query
        assert response["Content-Type"] == "application/json", query
        assert isinstance(response.json()["results"], list), query


def test_a_bad_page_number_gives_a_page(client, content):
    for page in ["abc", "-5", "0", "1" * 400, "1e309", "NaN", "2;DROP", "\x00", ""]:
        response = client.get("/search/", {"query": "anxiety", "page": page})

        assert response.status_code == 200, page
        assert response.context["hits"][0].page.title == "Anxiety", page


def test_a_repeated_or_missing_parameter_gives_a_page(client, content):
    assert client.get("/search/?query=anxiety&query=sleep&page=1&page=x").status_code == 200
    assert client.get("/search/?page=2").status_code == 200
    assert client.get("/search/?query").status_code == 200


def test_operators_and_quotes_are_searched_as_plain_words(client, content):
    titles = [hit.page.title for hit in client.get("/search/", {"query": '"Anxiety" -*'}).context["hits"]]

    assert titles == ["Anxiety"]


def test_other_scripts_are_found(client, content):
    assert [h.page.title for h in client.get("/search/", {"query": "тревога"}).context["hits"]] == ["Anxiety"]


def test_a_long_query_is_cut_before_it_is_searched_or_recorded(client, content):
    client.get("/search/", {"query": "anxiety " + "x" * 1000})

    recorded = Query.objects.get()
    assert len(recorded.query_string) == MAX_QUERY_LENGTH
    assert recorded.query_string.startswith("anxiety xxx")


def test_only_post_requests_are_refused(client, content):
    assert client.post("/search/", {"query": "anxiety"}).status_code == 405
    assert client.head("/search/", {"query": "anxiety"}).status_code == 200


# The text helpers -----------------------------------------------------------------------------------------------


def test_clean_query_removes_invisible_characters_and_caps_length():
    assert clean_query("  calm\x00 \u202e\tnights\ufeff ") == "calm nights"
    assert clean_query(None) == ""
    assert len(clean_query("word " * 100)) <= MAX_QUERY_LENGTH
    assert not clean_query("word " * 100).endswith(" ")


def test_search_terms_are_distinct_words_without_punctuation_or_emoji():
    assert search_terms("Anxiety, anxiety & SLEEP -- 😀 '; DROP") == ["Anxiety", "SLEEP", "DROP"]
    assert search_terms("***") == []
    assert search_terms("社会不安 القلق") == ["社会不安", "القلق"]
    assert len(search_terms(" ".join(f"w{i}" for i in range(50)))) == 10


def test_highlight_escapes_text_and_marks_whole_word_starts():
    pattern = term_pattern(["calm"])

    assert highlight("Calmer <b>calm</b>, becalmed", pattern) == (
        "<mark>Calmer</mark> &lt;b&gt;<mark>calm</mark>&lt;/b&gt;, becalmed"
    )
    assert highlight("<i>x</i>", None) == "&lt;i&gt;x&lt;/i&gt;"


def test_highlight_ignores_one_letter_latin_terms_but_marks_other_scripts_inside_words():
    assert highlight("a cat", term_pattern(["a"])) == "a cat"
    assert highlight("社会不安障害", term_pattern(["不安"])) == "社会<mark>不安</mark>障害"


def test_excerpt_is_cut_at_spaces_around_the_first_match():
    text = "Start. " * 60 + "The quiet word appears here. " + "End. " * 60
    result = excerpt(text, term_pattern(["quiet"]), length=100)

    assert "<mark>quiet</mark>" in result
    assert result.startswith("… ") and result.endswith(" …")
    assert len(result.replace("<mark>", "").replace("</mark>", "")) <= 106
