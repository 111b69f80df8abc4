"""booking.demo: office hours, the contact page with its form and menu link, the hero's button; idempotent."""

from io import StringIO

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Page, Revision

from booking import demo
from booking.models import ContactPage, OfficeHours
from home import demo as home_demo
from home.models import HomePage
from tests.booking_factories import contact_post

pytestmark = pytest.mark.django_db


def load_all() -> None:
    home_demo.load(stdout=StringIO())
    demo.load(stdout=StringIO())


def snapshot() -> dict:
    return {
        "pages": sorted(Page.objects.values_list("url_path", "live")),
        "revisions": Revision.objects.count(),
        "hours": list(OfficeHours.objects.values_list("pk", "name", "note", "timezone")),
        "ranges": sorted(
            OfficeHours.objects.values_list(
                "weekly_ranges__weekday", "weekly_ranges__opens", "weekly_ranges__closes"
            )
        ),
        "fields": sorted(ContactPage.objects.values_list("form_fields__label", "form_fields__purpose")),
    }


def test_demo_adds_office_hours_contact_page_and_hero_button_and_a_second_run_changes_nothing():
    load_all()
    first = snapshot()
    load_all()
    assert snapshot() == first

    hours = OfficeHours.objects.get()
    assert hours.live and hours.timezone == "America/New_York"
    assert hours.note == "Evening sessions by request"
    assert [row.hours_text for row in hours.schedule().week(timezone.now())] == [
        "9:00–18:00",
        "9:00–18:00",
        "9:00–18:00",
        "9:00–15:00",
        "9:00–15:00",
        "9:00–12:00",
        "Closed",
    ]
    contact = ContactPage.objects.get()
    assert (contact.slug, contact.live, contact.show_in_menus) == ("contact", True, True)
    assert contact.notification_email == "hello@willowbend.example"
    assert [f.purpose for f in contact.form_fields.all()] == [
        "name",
        "email",
        "phone",
        "preferred_contact",
        "preferred_times",
        "message",
        "consent",
    ]
    hero = HomePage.objects.get().body[0]
    assert hero.value["button_text"] == "Request an appointment"
    assert hero.value["button_page"].specific == contact


def test_demo_leaves_a_hero_button_an_editor_already_set():
    home_demo.load(stdout=StringIO())
    home = HomePage.objects.get()
    about = Page.objects.get(slug="about")
    home.body[0].value["button_text"] = "About us"
    home.body[0].value["button_page"] = about
    home.save_revision().publish()
    demo.load(stdout=StringIO())
    hero = HomePage.objects.get().body[0]
    assert (hero.value["button_text"], hero.value["button_page"].pk) == ("About us", about.pk)


def test_demo_site_shows_hours_menu_link_and_takes_a_request(client, django_capture_on_commit_callbacks):
    load_all()
    home = client.get("/").content.decode()
    assert 'href="/contact/"' in home
    assert "Request an appointment" in home
    assert "Evening sessions by request" in home
    contact = client.get("/contact/").content.decode()
    assert "do not send clinical details" in contact.lower()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", contact_post())
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "hello@willowbend.example"]
