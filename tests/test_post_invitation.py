"""Every blog post ends with the invitation the counselor writes once in Settings > Practice details: her heading,
text and button label, whether she is taking new clients, and a button to the page she chose (the contact page)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import PracticeSettings
from tests.blog_factories import make_blog_index, make_post, restrict
from tests.booking_factories import make_contact_page, make_practice_details
from tests.factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(home_page):
    return make_post(make_blog_index(home_page), title="Sleep and worry")


@pytest.fixture
def contact(home_page):
    return make_contact_page(home_page)


def invitation(html: str) -> str | None:
    found = re.search(r'<aside class="cta post-invitation".*?</aside>', html, re.S)
    return found.group(0) if found else None


def set_invitation(site, **values) -> PracticeSettings:
    return make_practice_details(site, **values)


def test_post_ends_with_the_counselors_invitation_to_the_contact_page(client, site, post, contact):
    set_invitation(
        site,
        call_to_action_heading="Ready to talk?",
        call_to_action_text="A first call is free.",
        call_to_action_button="Contact me today",
        call_to_action_page=contact,
        new_clients_note="Waiting list of about two weeks.",
    )

    html = client.get(post.url).content.decode()
    box = invitation(html)

    assert box is not None
    assert '<h2 class="cta__heading" id="post-invitation-heading">Ready to talk?</h2>' in box
    assert "<p>A first call is free.</p>" in box
    assert "Willow Test Counseling is accepting new clients. Waiting list of about two weeks." in box
    assert '<a class="button" href="/contact/">Contact me today</a>' in box
    assert html.index("post-invitation") < html.index('class="blog-post__footer"')


def test_invitation_says_when_the_counselor_is_not_taking_new_clients(client, site, post, contact):
    set_invitation(site, call_to_action_page=contact, accepting_new_clients=False)

    box = invitation(client.get(post.url).content.decode())

    assert "is not taking new clients at the moment; current clients can still get in touch." in box
    assert "is accepting new clients" not in box


def test_invitation_has_sensible_words_before_the_counselor_edits_them(client, site, post, contact):
    practice = PracticeSettings.for_site(site)
    practice.call_to_action_page = contact
    practice.save()

    box = invitation(client.get(post.url).content.decode())

    assert "Would you like to talk it through?" in box
    assert ">Request an appointment</a>" in box


def test_no_invitation_without_a_page_to_lead_to(client, site, post):
    set_invitation(site, call_to_action_page=None)
    assert invitation(client.get(post.url).content.decode()) is None


def test_no_invitation_to_an_unpublished_or_private_page(client, site, post, contact):
    set_invitation(site, call_to_action_page=contact)
    contact.unpublish()
    assert invitation(client.get(post.url).content.decode()) is None

    publish(contact)
    restrict(contact, password="secret")
    assert invitation(client.get(post.url).content.decode()) is None


def test_invitation_text_is_escaped(client, site, post, contact):
    set_invitation(site, call_to_action_page=contact, call_to_action_heading="<script>alert(1)</script>")

    box = invitation(client.get(post.url).content.decode())

    assert "<script>alert(1)" not in box and "&lt;script&gt;alert(1)&lt;/script&gt;" in box


def queries_for(client, url: str) -> int:
    client.get(url)  # warms the frame cache
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_invitation_costs_no_query_once_the_frame_cache_is_warm(client, site, post, contact, settings):
    settings.PAGE_CACHE_SECONDS = 0
    set_invitation(site, call_to_action_page=None)
    without = queries_for(client, post.url)

    set_invitation(site, call_to_action_page=contact)
    assert invitation(client.get(post.url).content.decode()) is not None
    assert queries_for(client, post.url) == without


def test_the_counselor_finds_the_invitation_and_the_crisis_line_in_practice_details(admin_client, site):
    from django.urls import reverse

    html = admin_client.get(
        reverse("wagtailsettings:edit", args=["home", "practicesettings", site.pk])
    ).content

    assert b"Invitation at the end of each blog post" in html
    assert b"Button leads to" in html and b"Crisis line number" in html
