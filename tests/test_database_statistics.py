"""A new install's PostgreSQL plans with statistics from the start: ANALYZE runs where rows arrive in bulk.

Without statistics the planner guesses, and on a freshly filled database its guesses turned a 20 ms search into
seconds (bench/README.md). So `migrate` (once per run that applied migrations), `load_demo_content`, a blog import
that created posts and `update_index` run ANALYZE themselves (site_project/database_statistics.py).
"""

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import BlogPage
from tests.blog_import_helpers import old_blog_fixture  # noqa: F401
from tests.services import require_service

pytestmark = pytest.mark.django_db

MAIN_TABLES = {
    "wagtailcore_page",
    "blog_blogpage",
    "blog_blogpagetag",
    "taggit_tag",
    "wagtailsearch_indexentry",
    "wagtailimages_image",
}


@pytest.fixture(autouse=True)
def postgresql():
    require_service(connection.vendor == "postgresql", "needs DATABASE_URL pointing at PostgreSQL")


def database_now() -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def analyzed_since(moment: datetime) -> set[str]:
    """Tables of the public schema that ANALYZE has seen since `moment` (read afresh, not the transaction's
    cached snapshot of the statistics views)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' AND last_analyze >= %s",
            [moment],
        )
        return {name for (name,) in cursor.fetchall()}


def analyze_statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if query["sql"].strip().upper() == "ANALYZE"]


def test_a_migrate_run_that_applied_migrations_analyzes_the_database_once_after_every_app():
    before = database_now()
    with CaptureQueriesContext(connection) as queries:
        emit_post_migrate_signal(0, False, "default", plan=[("a migration", False)])
    assert len(analyze_statements(queries)) == 1
    assert analyzed_since(before) >= MAIN_TABLES


def test_a_migrate_run_with_nothing_to_apply_and_a_flush_leave_the_statistics_alone():
    with CaptureQueriesContext(connection) as queries:
        emit_post_migrate_signal(0, False, "default", plan=[])  # `migrate` when every migration is applied
        emit_post_migrate_signal(0, False, "default")  # `flush`, between transactional tests
    assert analyze_statements(queries) == []


def test_after_the_demo_content_the_planner_knows_every_main_table_and_search_finds_posts(client):
    before = database_now()
    call_command("load_demo_content", stdout=StringIO())
    assert analyzed_since(before) >= MAIN_TABLES
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'blog_blogpage'")
        assert cursor.fetchone()[0] == BlogPage.objects.count()
    response = client.get("/search/?query=anxiety")
    assert response.status_code == 200
    assert "When worry will not switch off" in response.content.decode()


def test_an_import_that_created_posts_leaves_the_tables_analyzed(blog_index, old_blog):
    before = database_now()
    call_command("import_posts", old_blog.url + "/feed/atom/", stdout=StringIO())
    assert BlogPage.objects.exists()
    assert analyzed_since(before) >= MAIN_TABLES


def test_update_index_leaves_the_search_index_analyzed(blog_index):
    before = database_now()
    call_command("update_index", stdout=StringIO())
    assert "wagtailsearch_indexentry" in analyzed_since(before)
