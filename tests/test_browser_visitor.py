"""A visitor's journeys in Chromium: office hours, the contact form by the menu, search with and without
JavaScript, and the whole way by keyboard alone."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_contact_form(page, *, name="Noa Ben-David", email="noa@example.com") -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Preferred times").fill("Tuesday mornings")
    page.get_by_label("Short message").fill("I would like to talk about stress at work.")
    page.get_by_label("I agree to be contacted about my request").check()


@pytest.mark.integration
def test_visitor_sees_todays_hours_finds_the_contact_page_by_the_menu_and_gets_a_confirmation(
    demo_site, celery_worker, smtp_sink, browser_page
):
    page = browser_page
    page.goto("/")
    hours = page.locator("main .office-hours").first
    assert hours.locator("tr.is-today").count() == 1
    assert re.match(r"^(Open now, until|Closed, opens) ", hours.locator(".open-status").inner_text())

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact").click()
    page.wait_for_url("**/contact/")
    fill_contact_form(page)
    page.get_by_role("button", name="Send request").click()

    page.wait_for_url("**/contact/thanks/")
    assert "Thank you" in page.locator("main").inner_text()
    messages = smtp_sink.wait_for(2, timeout=30)
    confirmations = [m for m in messages if m["To"] == "noa@example.com"]
    assert len(confirmations) == 1, celery_worker.log()
    body = confirmations[0].get_payload(0).get_payload(decode=True).decode()
    assert "stress at work" not in body


def test_visitor_searches_from_the_header_with_javascript_and_reaches_the_post(demo_site, browser_page):
    page = browser_page
    page.goto("/")
    box = page.get_by_role("combobox", name="Search this site")
    box.fill("sleep")
    suggestion = page.get_by_role("option").first
    suggestion.wait_for()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?query=sleep"))
    result = page.locator("main ol a, main ul a").filter(has_text=re.compile("sleep", re.I)).first
    title = result.inner_text()
    result.click()
    assert page.locator("h1").inner_text() == title


def test_visitor_searches_without_javascript_and_reaches_the_post(demo_site, no_js_page):
    page = no_js_page
    page.goto("/")
    page.get_by_label("Search this site").fill("sleep")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?query=sleep"))
    result = page.locator("main ol a, main ul a").filter(has_text=re.compile("sleep", re.I)).first
    title = result.inner_text()
    result.click()
    assert page.locator("h1").inner_text() == title


def test_keyboard_alone_reaches_skip_link_menu_search_and_the_contact_form_and_hears_errors(
    demo_site, browser_page
):
    page = browser_page
    page.goto("/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    page.goto("/")
    focused = []
    for _ in range(20):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate(
                "[document.activeElement.tagName, document.activeElement.textContent.trim(), document.activeElement.name || '']"
            )
        )
    assert ["A", "Contact", ""] in focused
    assert any(tag == "INPUT" and name == "query" for tag, _, name in focused)

    while page.evaluate("document.activeElement.textContent.trim()") != "Contact":
        page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/contact/")

    page.get_by_label("Email address").focus()
    page.keyboard.type("not-an-email")
    page.get_by_role("button", name="Send request").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "error-summary"
    email = page.get_by_label("Email address")
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby").split()
    messages = [page.locator(f"#{identifier}").inner_text() for identifier in described]
    assert any("email" in message.lower() for message in messages)
    name = page.get_by_label("Your name")
    assert name.get_attribute("aria-invalid") == "true"
