"""Wagtail's `update_index`, then ANALYZE: the command rewrites every search index entry at once, and searches are
planned from the statistics of the index table (site_project/database_statistics.py)."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from site_project.database_statistics import analyze_database


class Command(WagtailUpdateIndex):
    def handle(self, **options):
        super().handle(**options)
        analyze_database()
