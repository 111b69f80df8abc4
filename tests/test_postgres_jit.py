"""PostgreSQL runs the site's queries without JIT compilation, so a new install is fast before any ANALYZE.

On tables that ANALYZE has never seen, the planner's estimates pass `jit_above_cost` and a search that takes
milliseconds spent a quarter of a second compiling (bench/README.md). The connection switches JIT off itself.
"""

import pytest
from django.db import connection

from tests.services import require_service

pytestmark = pytest.mark.django_db


def test_every_postgresql_connection_of_the_site_has_jit_off():
    require_service(connection.vendor == "postgresql", "needs DATABASE_URL pointing at PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_a_never_analyzed_table_is_planned_without_jit_even_above_jit_above_cost():
    require_service(connection.vendor == "postgresql", "needs DATABASE_URL pointing at PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE never_analyzed AS SELECT g AS n FROM generate_series(1, 1000) g"
        )
        cursor.execute("SET LOCAL jit_above_cost = 1")
        cursor.execute("EXPLAIN (FORMAT JSON) SELECT sum(n * n) FROM never_analyzed")
        plan = cursor.fetchone()[0]
    assert "JIT" not in plan[0]
