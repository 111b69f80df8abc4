"""Subscriptions in the admin: the counselor lists, filters, searches, exports and deletes addresses and
follows each mailing's progress; editors see no address; a post's editor says how its email went."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from blog.models import PostMailing, Subscriber
from blog.subscriptions import keys
from site_project.outbox.models import Email
from tests.blog_factories import make_post
from tests.factories import publish
from tests.outbox_factories import make_message, store

pytestmark = pytest.mark.django_db

LIST_URL = "wagtailsnippets_blog_subscriber:list"


def staff_in(group_name: str) -> User:
    user = User.objects.create_user(f"{group_name.lower()}-user", password="not-used-here-2026")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def counselor_client(client):
    client.force_login(staff_in("Counselor"))
    return client


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Editors"))
    return client


@pytest.fixture
def readers() -> dict[str, Subscriber]:
    confirmed = timezone.now() - timedelta(days=2)
    return {
        "ana": Subscriber.objects.create(email="ana@example.org", confirmed_at=confirmed),
        "ben": Subscriber.objects.create(email="ben@example.org", confirmed_at=confirmed),
        "formula": Subscriber.objects.create(email="=cmd@example.org", confirmed_at=confirmed),
        "new": Subscriber.objects.create(email="new@example.org"),
    }


def mail_for(subscriber: Subscriber, mailing_id: int, status: str = "pending") -> Email:
    email = store(make_message(to=[subscriber.email]), key=keys.mailing_key(subscriber.pk, mailing_id))
    Email.objects.filter(pk=email.pk).update(status=status)
    return email


def test_the_counselor_sees_addresses_and_the_confirmed_and_unconfirmed_counts(counselor_client, readers):
    response = counselor_client.get(reverse(LIST_URL))
    assert response.status_code == 200
    html = response.content.decode()
    for address in ("ana@example.org", "ben@example.org", "new@example.org"):
        assert address in html
    assert "3 confirmed, 1 not confirmed yet" in html
    assert "Not confirmed yet" in html


def test_the_menu_counts_confirmed_subscribers_for_the_counselor_only(client, readers):
    client.force_login(staff_in("Counselor"))
    assert "Subscribers (3)" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(staff_in("Editors"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Subscribers" not in home and "Mailings" not in home


def test_the_dashboard_counts_subscribers_for_the_counselor_only(client, readers, blog_index):
    client.force_login(staff_in("Counselor"))
    assert (
        "3 subscribers</a> receive new posts by email."
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(staff_in("Editors"))
    assert "receive new posts" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_list_filters_confirmed_and_unconfirmed_and_searches_by_address(counselor_client, readers):
    url = reverse(LIST_URL)
    unconfirmed = counselor_client.get(url, {"status": "unconfirmed"}).content.decode()
    assert "new@example.org" in unconfirmed and "ana@example.org" not in unconfirmed
    confirmed = counselor_client.get(url, {"status": "confirmed"}).content.decode()
    assert "ana@example.org" in confirmed and "new@example.org" not in confirmed
    found = counselor_client.get(url, {"q": "ben@"}).content.decode()
    assert "ben@example.org" in found and "ana@example.org" not in found


def test_the_csv_export_has_address_and_confirmation_and_runs_no_formula(counselor_client, readers):
    response = counselor_client.get(reverse(LIST_URL), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Address", "Confirmed"]
    addresses = {row[0]: row[1] for row in rows[1:]}
    assert set(addresses) == {"ana@example.org", "ben@example.org", "'=cmd@example.org", "new@example.org"}
    assert addresses["new@example.org"] == "" and addresses["ana@example.org"]


def test_the_xlsx_export_downloads(counselor_client, readers):
    response = counselor_client.get(reverse(LIST_URL), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    content = response.getvalue() if not response.streaming else b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Address", "Confirmed")
    assert {row[0] for row in rows[1:]} >= {"ana@example.org", "new@example.org"}


def test_deleting_a_subscriber_deletes_their_stored_mail(counselor_client, readers):
    ana, ben = readers["ana"], readers["ben"]
    mail_for(ana, 1)
    mail_for(ana, 2, status="sent")
    kept = mail_for(ben, 1)
    response = counselor_client.post(reverse("wagtailsnippets_blog_subscriber:delete", args=[ana.pk]))
    assert response.status_code == 302
    assert not Subscriber.objects.filter(pk=ana.pk).exists()
    assert list(Email.objects.values_list("pk", flat=True)) == [kept.pk]


def test_bulk_delete_deletes_the_chosen_subscribers_and_their_mail(counselor_client, readers):
    ana, ben, new = readers["ana"], readers["ben"], readers["new"]
    mail_for(ana, 1)
    mail_for(new, 1)
    kept = mail_for(ben, 1)
    url = reverse("wagtail_bulk_action", args=["blog", "subscriber", "delete"])
    response = counselor_client.post(f"{url}?id={ana.pk}&id={new.pk}")
    assert response.status_code == 302
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"ben@example.org", "=cmd@example.org"}
    assert list(Email.objects.values_list("pk", flat=True)) == [kept.pk]


def test_editors_can_neither_see_export_nor_delete_addresses(editor_client, readers):
    ana = readers["ana"]
    assert editor_client.get(reverse(LIST_URL)).status_code == 302
    assert editor_client.get(reverse(LIST_URL), {"export": "csv"}).status_code == 302
    editor_client.post(reverse("wagtailsnippets_blog_subscriber:delete", args=[ana.pk]))
    url = reverse("wagtail_bulk_action", args=["blog", "subscriber", "delete"])
    editor_client.post(f"{url}?id={ana.pk}")
    assert Subscriber.objects.filter(pk=ana.pk).exists()
    assert editor_client.get(reverse("mailings:index")).status_code == 302


def test_a_superuser_sees_subscribers_and_mailings(admin_client, readers):
    assert "ana@example.org" in admin_client.get(reverse(LIST_URL)).content.decode()
    assert admin_client.get(reverse("mailings:index")).status_code == 200


def test_no_one_adds_or_edits_an_address_in_the_admin(counselor_client, readers):
    assert counselor_client.get(reverse("wagtailsnippets_blog_subscriber:add")).status_code == 302
    edit = reverse("wagtailsnippets_blog_subscriber:edit", args=[readers["ana"].pk])
    assert counselor_client.get(edit).status_code == 302


def test_the_mailings_list_shows_each_mailings_posts_and_progress(counselor_client, readers, blog_index):
    post = make_post(blog_index, live=False, title="Grief at the holidays")
    publish(post)  # the batches wait for a commit that never comes in this test: the counts come from below
    mailing = PostMailing.objects.get()
    mail_for(readers["ana"], mailing.pk, status="sent")
    mail_for(readers["ben"], mailing.pk, status="failed")
    mail_for(readers["formula"], mailing.pk)
    mail_for(readers["new"], mailing.pk + 1, status="sent")  # another mailing's message

    response = counselor_client.get(reverse("mailings:index"))
    assert response.status_code == 200
    table = response.context["table"]
    (row,) = table.rows
    cells = {column.name: column.get_value(row.instance) for column in table.columns.values()}
    assert cells["posts"] == "Grief at the holidays"
    assert (cells["recipients"], cells["sent"], cells["failed"], cells["waiting"]) == (3, 1, 1, 1)


def test_the_post_editor_tells_how_the_posts_email_went(counselor_client, readers, blog_index):
    post = make_post(blog_index, live=False)
    edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    assert "Untick before publishing" in counselor_client.get(edit_url).content.decode()

    publish(post)
    mailing = PostMailing.objects.get()
    mail_for(readers["ana"], mailing.pk, status="sent")
    mail_for(readers["ben"], mailing.pk)
    html = counselor_client.get(edit_url).content.decode()
    assert "Emailed to 3 subscribers" in html
    assert "1 sent, 0 failed, 1 waiting." in html


def test_the_post_editor_says_a_post_not_emailed_was_not(counselor_client, blog_index):
    post = make_post(blog_index, live=False, email_subscribers=False)
    publish(post)
    html = counselor_client.get(reverse("wagtailadmin_pages:edit", args=[post.pk])).content.decode()
    assert "Not emailed" in html
    assert mail.outbox == []
