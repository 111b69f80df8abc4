"""An import confirmed in the admin crosses the real Redis broker and a real worker runs it (PostgreSQL + Redis)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog.models import BlogImport, BlogPage
from tests.blog_import_helpers import FILES
from tests.integration import wait_until
from tests.test_blog_workflow import make_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_worker_runs_the_confirmed_import_and_the_status_page_shows_its_report(
    client, blog_index, celery_worker
):
    client.force_login(make_user("counselor", "Counselor"))
    source = SimpleUploadedFile("feed.atom", (FILES / "atom_feed.xml").read_bytes(), "application/atom+xml")
    client.post(reverse("blog_import"), {"source": source})
    run = BlogImport.objects.get()

    response = client.post(reverse("blog_import_confirm", args=[run.pk]))
    assert response.status_code == 302

    finished = wait_until(
        lambda: BlogImport.objects.get(pk=run.pk).status == BlogImport.Status.FINISHED, timeout=60
    )
    assert finished, celery_worker.log()
    assert set(BlogPage.objects.values_list("slug", flat=True)) == {
        "talking-with-teens-about-stress",
        "winter-and-low-mood",
    }
    page = client.get(reverse("blog_import_status", args=[run.pk])).content.decode()
    assert "Import finished" in page and "2 created" in page
