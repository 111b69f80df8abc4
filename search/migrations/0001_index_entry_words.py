"""A GIN index on `title || body` of Wagtail's search index table, on PostgreSQL only.

All of several words may be split between a page's title and its text, so search.postgres matches them as
Wagtail does, with `(title || body) @@ query`; without an index on that expression, every search with two or more
words would read and concatenate every entry. Other databases have no such table and are left alone.
"""

from django.db import migrations

INDEX = "search_indexentry_words_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
