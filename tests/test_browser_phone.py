"""A visitor on a phone (390 x 844) in Chromium: crisis help and the practice's phone in reach on every page type,
the contact form near the top, a menu without a stray last item, and the phone number asked for when a call or a
text is chosen. At desktop width the header keeps the search beside the practice's name."""

import pytest

from home.models import PracticeSettings
from tests.factories import demo_html_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIRST_SCREEN = 900
FORM_REACH = 1300


def bottom_of(page, selector: str) -> float:
    """How far down the page (in CSS pixels from its top) the first visible match of `selector` ends."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not visible"
    return box["y"] + box["height"] + page.evaluate("window.scrollY")


def practice_phone_link() -> str:
    return PracticeSettings.objects.get().phone_link


def test_every_public_page_type_offers_crisis_help_and_the_practice_phone_in_the_first_screen(
    demo_site, phone_page
):
    page = phone_page
    practice_tel = practice_phone_link()
    assert practice_tel == "tel:6035550142"
    pages = {**demo_html_pages(), "not found": "/no-such-page/"}
    reach: dict[str, dict[str, float]] = {}
    for name, url in pages.items():
        page.goto(url)
        reach[name] = {
            "call 988": bottom_of(page, 'a[href="tel:988"]'),
            "text 988": bottom_of(page, 'a[href="sms:988"]'),
            "practice phone": bottom_of(page, f'header a[href="{practice_tel}"]'),
        }
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} scrolls sideways"
    too_far = {name: found for name, found in reach.items() if max(found.values()) > FIRST_SCREEN}
    assert too_far == {}, reach
    assert len(reach) == 10


def test_contact_form_starts_within_a_screen_and_a_half(demo_site, phone_page):
    page = phone_page
    page.goto("/contact/")
    assert bottom_of(page, "#id_your_name") <= FORM_REACH
    assert page.locator("main .notice").count() == 1


def test_menu_on_a_phone_leaves_no_link_alone_on_its_last_row(demo_site, phone_page):
    page = phone_page
    page.goto("/")
    tops = page.locator(".main-nav a").evaluate_all(
        "links => links.map(link => link.getBoundingClientRect().top)"
    )
    rows: dict[int, int] = {}
    for top in tops:
        rows[round(top)] = rows.get(round(top), 0) + 1
    assert len(tops) >= 4
    assert min(rows.values()) > 1, rows


def test_choosing_a_text_message_marks_the_phone_required_and_the_server_insists(demo_site, phone_page):
    page = phone_page
    page.goto("/contact/")
    phone_label = page.locator('label[for="id_phone"]')
    assert "(optional)" in phone_label.inner_text()

    page.get_by_label("Text message").check()
    assert "(required)" in phone_label.inner_text()
    assert page.locator("#id_phone").get_attribute("aria-required") == "true"
    page.get_by_label("Email", exact=True).check()
    assert "(optional)" in phone_label.inner_text()

    page.get_by_label("Your name").fill("Ana Lima")
    page.get_by_label("Email address").fill("ana@example.com")
    page.get_by_label("Text message").check()
    page.get_by_label("I agree to be contacted about my request").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()

    assert page.url.endswith("/contact/")
    assert (
        "Please give a phone number so we can reach you by text message"
        in page.locator("#id_phone_error").inner_text()
    )
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("Your name").input_value() == "Ana Lima"


def test_desktop_header_keeps_phone_and_search_beside_the_practice_name(demo_site, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    brand = page.locator(".brand").bounding_box()
    search = page.locator(".search-box").bounding_box()
    phone = page.locator(".header-phone").bounding_box()
    for box in (search, phone):
        assert box["y"] < brand["y"] + brand["height"] and box["y"] + box["height"] > brand["y"]
        assert box["x"] > brand["x"] + brand["width"]
    assert search["x"] + search["width"] > 1280 - 200
