"""No public page needs more than 10 SQL queries when it is not served from the page cache.

The frame (site, menu, practice settings, office hours) and image renditions come from the cache once warm,
so the budget is measured on the second request with the page cache itself switched off.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import demo_html_pages

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10


def public_page_types() -> dict[str, str]:
    pages = demo_html_pages()
    return {
        **pages,
        "rss feed": "/blog/feed/rss/",
        "atom feed": "/blog/feed/atom/",
        "tag feed": f"{pages['tag page']}feed/rss/",
    }


def test_every_public_page_type_renders_within_the_query_budget(client, settings):
    call_command("load_demo_content", stdout=StringIO())
    settings.PAGE_CACHE_SECONDS = 0
    counts = {}
    for name, url in public_page_types().items():
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[name] = len(queries)
    assert {name: count for name, count in counts.items() if count > QUERY_BUDGET} == {}, counts
