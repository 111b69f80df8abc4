"""load_demo_content builds the demo site once; running it again changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "pages": sorted(Page.objects.values_list("url_path", "live")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_content_builds_the_site_and_a_second_run_changes_nothing(client):
    output = StringIO()
    call_command("load_demo_content", "--with-users", stdout=output)
    first = snapshot()
    call_command("load_demo_content", "--with-users", stdout=StringIO())

    assert snapshot() == first
    assert "/admin/" in output.getvalue() and "password" in output.getvalue()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific.__class__.__name__ == "HomePage"
    for path in ("/", "/about/", "/services/", "/fees/", "/privacy/"):
        assert client.get(path).status_code == 200, path
    assert "deleted automatically" in client.get("/privacy/").content.decode()
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()
