"""The outbox in the admin: staff with permission see every email's delivery state, read-only, never a body."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from site_project.outbox.models import Email
from tests.outbox_factories import make_message, store

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_outbox_email:list"
RESET_LINK = "https://practice.example/admin/password_reset/confirm/MQ/secret-token/"


@pytest.fixture
def reset_email() -> Email:
    email = store(make_message(subject="Password reset", body=f"Open {RESET_LINK}", to=["staff@example.org"]))
    Email.objects.filter(pk=email.pk).update(status="failed", attempts=9, last_error="SMTPServerDisconnected")
    return email


def staff_user(*permissions: str):
    user = get_user_model().objects.create_user("viewer", "viewer@example.org", "a-long-test-password")
    group = Group.objects.create(name="Outbox viewers")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *permissions]))
    user.groups.add(group)
    return user


def test_the_list_shows_subject_recipients_state_and_attempts(admin_client, reset_email):
    html = admin_client.get(reverse(LIST)).content.decode()
    for text in ("Password reset", "staff@example.org", "Failed"):
        assert text in html
    assert re.search(r"<td[^>]*>\s*9\s*</td>", html)
    assert RESET_LINK not in html


def test_the_list_filters_by_status(admin_client, reset_email):
    store(make_message(subject="Still waiting"))
    html = admin_client.get(reverse(LIST), {"status": "pending"}).content.decode()
    assert "Still waiting" in html
    assert "Password reset" not in html


def test_the_inspect_view_shows_the_delivery_record_but_never_the_body(admin_client, reset_email):
    response = admin_client.get(reverse("wagtailsnippets_outbox_email:inspect", args=[reset_email.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Password reset", "staff@example.org", "SMTPServerDisconnected"):
        assert text in html
    assert "secret-token" not in html


def test_not_even_a_superuser_may_add_edit_or_delete_a_row(admin_client, reset_email):
    html = admin_client.get(reverse(LIST)).content.decode()
    assert reverse("wagtailsnippets_outbox_email:add") not in html
    assert reverse("wagtailsnippets_outbox_email:edit", args=[reset_email.pk]) not in html
    admin_client.post(
        reverse("wagtailsnippets_outbox_email:add"), {"subject": "Forged", "from_email": "x@y.z"}
    )
    admin_client.post(
        reverse("wagtailsnippets_outbox_email:edit", args=[reset_email.pk]), {"subject": "Changed"}
    )
    admin_client.post(reverse("wagtailsnippets_outbox_email:delete", args=[reset_email.pk]))
    assert list(Email.objects.values_list("subject", flat=True)) == ["Password reset"]


def test_staff_need_the_view_permission_to_see_the_outbox(client, reset_email):
    client.force_login(staff_user())
    assert client.get(reverse(LIST)).status_code != 200
    assert "Outbox" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_staff_granted_the_view_permission_see_it_read_only(client, reset_email):
    client.force_login(staff_user("view_email"))
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert "Password reset" in response.content.decode()
    client.post(reverse("wagtailsnippets_outbox_email:delete", args=[reset_email.pk]))
    assert Email.objects.filter(pk=reset_email.pk).exists()
