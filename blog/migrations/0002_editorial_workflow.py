"""Create the editorial groups and the "Review before publishing" workflow (site_project.accounts.groups), and
give them their rights on authors (blog.editorial).

On a database that already has a blog index, also give the groups their permissions on it and assign the
workflow to it; otherwise that happens when the index is created (blog.signals).
"""

from django.db import migrations

from blog.editorial import grant_author_permissions, set_up_blog_index
from site_project.accounts.groups import WAGTAIL_APP_LABELS, create_permissions_now


def forwards(apps, schema_editor):
    create_permissions_now(apps, *WAGTAIL_APP_LABELS, "blog")
    grant_author_permissions(apps)
    blog_index_model = apps.get_model("blog", "BlogIndexPage")
    for index_id in blog_index_model.objects.values_list("pk", flat=True):
        set_up_blog_index(apps, index_id)


def backwards(apps, schema_editor):
    # Groups and workflow may have been changed by editors since; leave them in place.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
