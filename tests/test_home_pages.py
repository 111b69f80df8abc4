"""The home page, standard pages and the site frame: landmarks, menu, footer, error pages."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from home.models import PracticeSettings
from home.models.site_settings import DEFAULT_CRISIS_NOTICE
from tests.factories import make_standard_page, publish

pytestmark = pytest.mark.django_db


def test_home_page_renders_its_hero_text_and_call_to_action(client, home_page):
    about = make_standard_page(home_page, title="About")
    home_page.body = [
        (
            "hero",
            {
                "heading": "A calm place",
                "text": "Talk it through.",
                "button_text": "Read more",
                "button_page": about,
            },
        ),
        ("paragraph", "<p>Welcome <b>in</b>.</p>"),
        (
            "call_to_action",
            {"heading": "Ready?", "text": "", "button_text": "Book a consultation", "page": about},
        ),
    ]
    publish(home_page)

    html = client.get("/").content.decode()

    assert "<h1>A calm place</h1>" in html
    assert "Welcome <b>in</b>." in html
    assert 'href="/about/"' in html and "Book a consultation" in html


def test_every_page_has_landmarks_skip_link_and_the_default_crisis_notice(client, home_page):
    page = make_standard_page(home_page, title="Fees", introduction="Clear prices.")
    html = client.get(page.url).content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and '<nav class="main-nav" aria-label="Main">' in html
    assert DEFAULT_CRISIS_NOTICE.startswith("If you are in crisis, call or text 988")
    assert 'If you are in crisis, call or text <a href="tel:988">988</a>' in html
    assert "<h1>Fees</h1>" in html and "Clear prices." in html


def test_footer_shows_the_edited_crisis_notice_and_hides_the_address_when_asked(client, site):
    practice = PracticeSettings.for_site(site)
    practice.crisis_notice = "Call the county crisis line at 555-0100."
    practice.address = "1 Quiet Lane"
    practice.show_address = False
    practice.save()

    html = client.get("/").content.decode()

    assert "Call the county crisis line at 555-0100." in html
    assert "1 Quiet Lane" not in html


def test_main_menu_lists_live_pages_marked_show_in_menus_and_marks_the_current_one(client, home_page):
    about = make_standard_page(home_page, title="About", show_in_menus=True)
    make_standard_page(home_page, title="Privacy", show_in_menus=False)
    make_standard_page(home_page, title="Draft services", show_in_menus=True, live=False)

    html = client.get(about.url).content.decode()
    menu = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)

    assert '<a href="/about/" aria-current="page">About</a>' in menu
    assert "Privacy" not in menu
    assert "Draft services" not in menu


def test_pages_load_nothing_from_third_parties(client, home_page):
    html = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert [url for url in external if "testserver" not in url] == []


def test_unknown_url_answers_404_in_the_site_look(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert '<a class="skip-link" href="#main">' in html


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "988" in html


@override_settings(DEBUG=False)
def test_robots_txt_names_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert client.get("/sitemap.xml").status_code == 200


def test_hero_button_needs_both_text_and_page(home_page):
    from django.core.exceptions import ValidationError

    from home.blocks import HeroBlock

    block = HeroBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"heading": "Hi", "text": "", "button_text": "Go", "button_page": None}))
