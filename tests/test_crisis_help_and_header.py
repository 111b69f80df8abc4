"""The frame every visitor sees: crisis help at the top with links that call or text, the practice's phone in the
header, tappable numbers in the crisis notice, one office-hours table per page, and a home title said once."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from home.models import PracticeSettings
from tests.booking_factories import make_office_hours
from tests.factories import make_standard_page, publish

pytestmark = pytest.mark.django_db


def crisis_bar(html: str) -> str:
    return re.search(r'<aside class="crisis-bar" aria-label="Crisis help">(.*?)</aside>', html, re.S).group(1)


def test_every_page_starts_with_crisis_help_that_calls_or_texts_988(client, home_page):
    page = make_standard_page(home_page, title="Fees")

    for url in ("/", page.url, "/no-such-page/"):
        html = client.get(url).content.decode()
        bar = crisis_bar(html)
        assert html.index('class="crisis-bar"') < html.index("<header")
        assert "In crisis?" in bar
        assert '<a href="tel:988">Call 988</a>' in bar
        assert '<a href="sms:988">text 988</a>' in bar
        assert '<a href="tel:911">911</a>' in bar


def test_the_crisis_line_the_counselor_sets_is_the_one_linked(client, site):
    practice = PracticeSettings.for_site(site)
    practice.crisis_line = "18005550199"
    practice.save()

    bar = crisis_bar(client.get("/").content.decode())

    assert '<a href="tel:18005550199">Call 18005550199</a>' in bar
    assert '<a href="sms:18005550199">text 18005550199</a>' in bar


@pytest.mark.parametrize("number", ["", "98", "988; rm -rf", "tel:988", "<b>988</b>", "9" * 17])
def test_a_crisis_line_that_is_not_a_phone_number_is_refused(site, number):
    practice = PracticeSettings.for_site(site)
    practice.crisis_line = number
    with pytest.raises(ValidationError) as raised:
        practice.full_clean()
    assert "crisis_line" in raised.value.message_dict


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("(603) 555-0142", "tel:6035550142"),
        ("+1 603 555 0142", "tel:+16035550142"),
        ("call us", ""),
        ("", ""),
    ],
)
def test_the_header_links_the_practice_phone_however_it_was_typed(client, site, typed, link):
    practice = PracticeSettings.for_site(site)
    practice.phone = typed
    practice.save()

    header = re.search(r"<header.*?</header>", client.get("/").content.decode(), re.S).group(0)

    if link:
        assert f'<a class="header-phone" href="{link}">' in header
        assert typed in header
    else:
        assert "header-phone" not in header


def test_the_crisis_notice_links_the_crisis_line_and_911_and_stays_escaped():
    template = Template("{% load site_tags %}{{ text|call_links:line }}")
    text = "<b>Call or text 988</b>, not 19880; in an emergency 911."

    html = template.render(Context({"text": text, "line": "988"}))

    assert html == (
        '&lt;b&gt;Call or text <a href="tel:988">988</a>&lt;/b&gt;, not 19880; '
        'in an emergency <a href="tel:911">911</a>.'
    )
    assert template.render(Context({"text": "Call 911", "line": '" onclick="x'})) == (
        'Call <a href="tel:911">911</a>'
    )


def test_footer_shows_only_the_status_when_the_page_already_shows_the_hours_table(client, home_page):
    make_office_hours()
    with_block = make_standard_page(
        home_page, title="Visit", body=[("office_hours", {"heading": "When we are in"})]
    )
    without_block = make_standard_page(home_page, title="Fees")

    with_hours = client.get(with_block.url).content.decode()
    plain = client.get(without_block.url).content.decode()

    assert with_hours.count('<table class="hours-table">') == 1
    footer = re.search(r"<footer.*</footer>", with_hours, re.S).group(0)
    assert '<h2 id="office-hours-footer-office-hours">Office hours</h2>' in footer
    assert 'class="open-status"' in footer and "(Eastern Time)" in footer
    assert plain.count('<table class="hours-table">') == 1
    assert "Opening hours" not in plain


def test_home_page_title_says_the_practice_once(client, home_page, site):
    practice = PracticeSettings.for_site(site)
    practice.practice_name = "Willow Bend Counseling"
    practice.tagline = "Counseling for adults and couples"
    practice.save()

    assert (
        "<title>Willow Bend Counseling | Counseling for adults and couples</title>"
        in client.get("/").content.decode()
    )

    home_page.seo_title = "Willow Bend Counseling: counseling for adults and couples"
    publish(home_page)
    assert (
        "<title>Willow Bend Counseling: counseling for adults and couples</title>"
        in client.get("/").content.decode()
    )
