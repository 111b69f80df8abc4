"""On PostgreSQL the search page reads Wagtail's index table itself (search/postgres.py) instead of calling
`.search()`, for speed. These tests hold it to Wagtail's own answer: the same pages in the same order, for every
word in the title, the text, the tags or split between them, with all words or any. A Wagtail upgrade that changes
the index table or its ranking fails here. They need PostgreSQL: in CI they fail without it, never skip.
"""

import pytest
from django.db import connection

from search.postgres import RankedPages, native_backend
from search.ranking import ranked_results
from search.text import search_terms, term_pattern
from search.visibility import Findable
from tests.blog_factories import make_blog_index, make_post, simple_body
from tests.factories import make_standard_page
from tests.services import require_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres_site(site):
    require_service(
        connection.vendor == "postgresql", "the PostgreSQL search path needs DATABASE_URL for PostgreSQL"
    )
    return site


@pytest.fixture
def pages(home_page):
    """Pages whose words sit in different places and different numbers, so that every rank differs."""
    index = make_blog_index(home_page, introduction="Notes from the practice.")
    make_post(
        index, title="Notes on anxiety", summary="Short.", body=simple_body("Breathing slowly helps. " * 3)
    )
    make_post(
        index, title="Evening notes", summary="Short.", body=simple_body("Anxiety eases. Anxiety fades. " * 2)
    )
    make_post(index, title="Calmer mornings", summary="A routine.", tags=["anxiety", "sleep"])
    make_post(
        index, title="Sleep and worry", summary="Anxiety at night.", body=simple_body("Sleep comes. " * 4)
    )
    make_standard_page(home_page, title="Fees", introduction="What sessions cost and how to pay.")
    make_standard_page(home_page, title="Anxiety", introduction="How we work with worry.")
    make_standard_page(home_page, title="Our notes", introduction="Sleep, worry and rest.")


def wagtail_order(site, query: str, operator: str) -> list[int]:
    found = Findable(site).for_search_backend.search(query, operator=operator)
    return [page.pk for page in found]


def our_order(site, query: str, operator: str) -> list[int]:
    terms = search_terms(query)
    results = ranked_results(Findable(site).pages, terms, operator=operator, pattern=term_pattern(terms))
    return [page.pk for page in results[0 : results.count()]]


def test_postgres_reads_the_index_itself(postgres_site, pages):
    terms = ["anxiety"]
    results = ranked_results(
        Findable(postgres_site).pages, terms, operator="and", pattern=term_pattern(terms)
    )

    assert native_backend() is not None
    assert isinstance(results, RankedPages)
    assert results.count() == 5


@pytest.mark.parametrize(
    ("query", "operator"),
    [
        ("anxiety", "and"),
        ("sleep", "and"),
        ("notes", "and"),
        ("notes anxiety", "and"),  # one word in the title, the other in the text
        ("sleep worry", "and"),
        ("how to sleep", "and"),  # stop words
        ("notes anxiety", "or"),
        ("fees sleep zebra", "or"),
        ("zebra", "and"),
    ],
)
def test_the_same_pages_in_the_same_order_as_wagtails_search(postgres_site, pages, query, operator):
    expected = wagtail_order(postgres_site, query, operator)

    assert our_order(postgres_site, query, operator) == expected
    if query != "zebra":
        assert expected


def test_all_words_are_matched_with_the_title_and_body_index(postgres_site):
    """Searches for several words read `title || body` through the migration's GIN index, not by scanning."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry' AND indexname = %s",
            ["search_indexentry_words_gin"],
        )
        row = cursor.fetchone()

    assert row is not None
    assert "gin" in row[0] and "(title || body)" in row[0]
