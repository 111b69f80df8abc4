"""A reader subscribes in Chromium: from the form under a post with JavaScript (the start token is fetched when
they start on it), without JavaScript (pressing Subscribe once more), and on a phone's screen."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from blog.models import Subscriber
from tests.factories import demo_html_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def quick_subscribe_form(settings) -> None:
    """The subscribe form accepts a browser that types at once (the fill time is tested without a browser)."""
    settings.SUBSCRIBE_MIN_FILL_SECONDS = 0


def test_with_javascript_the_form_under_a_post_fetches_a_start_token_and_subscribes(
    demo_site, quick_subscribe_form, browser_page
):
    page = browser_page
    page.goto(demo_html_pages()["post"])
    started = page.locator('form.subscribe-form input[name="form_started"]')
    assert started.input_value() == ""

    page.get_by_label("Your email address").fill("Noa@Example.com")
    # Polled by Playwright itself: the page's CSP forbids the eval that wait_for_function uses.
    expect(started).not_to_have_value("")
    page.get_by_role("button", name="Subscribe").click()

    page.wait_for_url("**/subscriptions/check-your-inbox/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    assert Subscriber.objects.get().email == "noa@example.com"
    assert [message.to for message in mail.outbox] == [["noa@example.com"]]


def test_without_javascript_the_visitor_presses_subscribe_once_more_and_is_subscribed(
    demo_site, quick_subscribe_form, no_js_page
):
    page = no_js_page
    page.goto("/blog/")
    page.get_by_label("Your email address").fill("noa@example.com")
    page.get_by_role("button", name="Subscribe").click()

    page.wait_for_url("**/subscriptions/")
    assert "press Subscribe once more" in page.locator("main").inner_text()
    assert page.get_by_label("Your email address").input_value() == "noa@example.com"
    assert not Subscriber.objects.exists()
    page.get_by_role("button", name="Subscribe").click()

    page.wait_for_url("**/subscriptions/check-your-inbox/")
    assert Subscriber.objects.filter(email="noa@example.com").exists()


def test_on_a_phone_the_form_fits_the_screen_and_its_errors_are_announced(
    demo_site, quick_subscribe_form, phone_page
):
    page = phone_page
    page.goto(demo_html_pages()["post"])
    field = page.get_by_label("Your email address")
    button = page.locator("form.subscribe-form").get_by_role("button", name="Subscribe")
    for box in (field.bounding_box(), button.bounding_box()):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert field.bounding_box()["width"] >= 200

    field.fill("not an address")
    expect(page.locator('form.subscribe-form input[name="form_started"]')).not_to_have_value("")
    button.click()

    page.wait_for_url("**/subscriptions/")
    error = page.locator("#subscribe-email-error")
    assert re.search(r"email address like name@example\.org", error.inner_text())
    assert page.get_by_label("Your email address").get_attribute("aria-describedby") == (
        "subscribe-note subscribe-email-error"
    )
