"""Create the editorial groups and the "Review before publishing" workflow (see blog.workflow).

On a database that already has a blog index, also give the groups their permissions on it and assign the
workflow to it; otherwise that happens when the index is created (blog.signals).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from blog.workflow import assign_to_blog_index, ensure_groups_and_workflow


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this migration needs them now.
    for label in ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "blog"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    ensure_groups_and_workflow(apps)
    blog_index_model = apps.get_model("blog", "BlogIndexPage")
    for index_id in blog_index_model.objects.values_list("pk", flat=True):
        assign_to_blog_index(apps, index_id)


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
