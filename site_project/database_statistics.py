"""Planner statistics on PostgreSQL right after rows arrive in bulk, so a new install never waits for autovacuum.

PostgreSQL plans queries from the statistics `ANALYZE` gathers. A table no ANALYZE has seen is planned from its size
on disk and default selectivities, which on a freshly migrated and filled database picks nested loops and
sequential scans that read thousands of rows where an index reads ten; autovacuum fixes that only once it comes by,
minutes later, or never while the rows stay under its thresholds. So the places where a site's rows arrive in bulk
run ANALYZE themselves: `migrate` (once per run that applied migrations, after every app's post_migrate work such as
Wagtail's initial pages), `load_demo_content`, and a blog import that created posts. ANALYZE reads a sample of each
table (about a second for a site of some thousand pages) and takes no lock that blocks readers or writers.

Other databases (SQLite in development and tests) keep their own statistics and are left alone.
"""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.db import DEFAULT_DB_ALIAS, connections


def analyze_database(using: str = DEFAULT_DB_ALIAS) -> bool:
    """ANALYZE every table of the database on PostgreSQL; returns whether it ran."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


def _last_app_migrated() -> AppConfig:
    """The app whose post_migrate signal `migrate` sends last (it sends one per app with models, in this order)."""
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def analyze_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """post_migrate: ANALYZE once per `migrate` run that applied migrations, after the last app's signal.

    `flush` (between transactional tests) sends post_migrate without a plan and is left alone."""
    if plan and sender is _last_app_migrated():
        analyze_database(using)
