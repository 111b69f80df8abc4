"""The admin's import: only the Counselor group (and superusers) may import; upload, read the dry-run report,
confirm, and see what was done. A bad file is an error on the form, and nothing is kept."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog.models import BlogImport, BlogIndexPage, BlogPage
from tests.blog_import_helpers import FILES, old_blog_fixture  # noqa: F401
from tests.test_blog_workflow import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def counselor(blog_index):
    return make_user("counselor", "Counselor")


def upload(client, content: bytes, name: str = "export.xml", **options):
    return client.post(
        reverse("blog_import"), {"source": SimpleUploadedFile(name, content, "text/xml"), **options}
    )


def test_the_counselor_group_may_import_and_editors_may_not():
    assert Group.objects.get(name="Counselor").permissions.filter(codename="import_posts").exists()
    assert not Group.objects.get(name="Editors").permissions.filter(codename="import_posts").exists()


def test_an_editor_is_turned_away_and_does_not_see_the_menu_entry(client, blog_index):
    client.force_login(make_user("editor", "Editors"))
    response = client.get(reverse("blog_import"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert upload(client, (FILES / "rss_feed.xml").read_bytes()).status_code == 302
    assert BlogImport.objects.count() == 0
    assert reverse("blog_import") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_counselor_finds_the_import_in_the_settings_menu(client, counselor):
    client.force_login(counselor)
    assert reverse("blog_import") in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse("blog_import"))
    assert response.status_code == 200
    assert b"Nothing changes until you confirm" in response.content
    assert b'name="publish"' in response.content


def confirm(client, run: BlogImport, capture) -> str:
    """Press "Import now", let the import task run (Celery runs it in-process without Redis), open the status."""
    with capture(execute=True):
        response = client.post(reverse("blog_import_confirm", args=[run.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "blog_import_status", args=[run.pk]
    )
    return client.get(response["Location"]).content.decode()


def test_upload_shows_the_dry_run_report_then_confirm_imports_in_the_background(
    client, counselor, old_blog, django_capture_on_commit_callbacks
):
    client.force_login(counselor)
    content = old_blog.rewrite("wordpress_export.xml")
    response = upload(client, content, publish="on")
    page = response.content.decode()
    assert response.status_code == 200
    assert "What the import would do" in page
    assert "3 would be created, 3 would be skipped" in page
    assert "Would be created and published" in page
    assert "A WordPress page, not a blog post." in page
    assert not BlogPage.objects.exists()
    assert old_blog.image_requests() == []
    run = BlogImport.objects.get()
    assert run.uploaded_by == counselor and run.publish and run.status == BlogImport.Status.CHECKED

    page = confirm(client, run, django_capture_on_commit_callbacks)
    assert "Import finished" in page and "3 created, 3 skipped" in page
    panic = BlogPage.objects.get(slug="breathing-through-a-panic-attack")
    assert panic.live and panic.owner == counselor
    assert reverse("wagtailadmin_pages:edit", args=[panic.pk]) in page
    run.refresh_from_db()
    assert run.status == BlogImport.Status.FINISHED and bytes(run.content) == b""


def test_while_the_import_runs_the_status_page_says_so_and_looks_again(client, counselor):
    client.force_login(counselor)
    upload(client, (FILES / "atom_feed.xml").read_bytes())
    run = BlogImport.objects.get()
    client.post(
        reverse("blog_import_confirm", args=[run.pk])
    )  # the task waits for the commit that never comes
    page = client.get(reverse("blog_import_status", args=[run.pk])).content.decode()
    assert "Importing your posts…" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_pressing_import_twice_imports_once(client, counselor, django_capture_on_commit_callbacks):
    client.force_login(counselor)
    upload(client, (FILES / "atom_feed.xml").read_bytes())
    run = BlogImport.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as first:
        client.post(reverse("blog_import_confirm", args=[run.pk]))
    with django_capture_on_commit_callbacks(execute=False) as second:
        client.post(reverse("blog_import_confirm", args=[run.pk]))
    assert len(first) == 1 and second == []


def test_a_problem_found_when_the_import_runs_is_shown(client, counselor, django_capture_on_commit_callbacks):
    client.force_login(counselor)
    upload(client, (FILES / "atom_feed.xml").read_bytes())
    run = BlogImport.objects.get()
    BlogIndexPage.objects.get().delete()
    page = confirm(client, run, django_capture_on_commit_callbacks)
    assert "The site has no blog yet" in page
    run.refresh_from_db()
    assert run.status == BlogImport.Status.FAILED


def test_a_bad_file_is_an_error_on_the_form_and_nothing_is_kept(client, counselor):
    client.force_login(counselor)
    response = upload(client, (FILES / "malformed.xml").read_bytes())
    assert response.status_code == 200
    assert "The file is not well-formed XML" in response.content.decode()
    assert not BlogImport.objects.exists()


def test_a_file_over_the_limit_is_refused_without_being_read(client, counselor, settings):
    settings.BLOG_IMPORT_MAX_SOURCE_BYTES = 1024
    client.force_login(counselor)
    response = upload(client, b"<rss>" + b" " * 4096 + b"</rss>")
    assert "the importer reads files up to" in response.content.decode()
    assert not BlogImport.objects.exists()


def test_one_persons_upload_cannot_be_confirmed_by_another(client, counselor):
    client.force_login(counselor)
    upload(client, (FILES / "atom_feed.xml").read_bytes())
    run = BlogImport.objects.get()
    other = make_user("other-counselor", "Counselor")
    client.force_login(other)
    assert client.post(reverse("blog_import_confirm", args=[run.pk])).status_code == 404
    assert client.get(reverse("blog_import_status", args=[run.pk])).status_code == 404
    assert not BlogPage.objects.exists()


def test_someone_with_the_import_permission_but_no_publish_right_imports_drafts_only(
    client, blog_index, django_capture_on_commit_callbacks
):
    writer = make_user("writer", "Editors")
    writer.user_permissions.add(Permission.objects.get(codename="import_posts"))
    client.force_login(writer)
    assert b'name="publish"' not in client.get(reverse("blog_import")).content
    upload(client, (FILES / "atom_feed.xml").read_bytes(), publish="on")
    confirm(client, BlogImport.objects.get(), django_capture_on_commit_callbacks)
    assert BlogPage.objects.count() == 2
    assert not BlogPage.objects.filter(live=True).exists()
