"""The editorial journey in Chromium: an editor writes a post in the Wagtail admin and submits it for review,
the counselor approves it, and the post is then on the blog, in the RSS feed and in search."""

import re

import pytest

from blog.models import BlogIndexPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "practice-demo-2026"
TITLE = "Walking as a way to think"


def sign_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def add_block(page, label: str) -> None:
    page.locator("#panel-child-content-body-content button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def write_post(page, blog_index_id: int) -> None:
    page.goto(f"/admin/pages/add/blog/blogpage/{blog_index_id}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Why a short daily walk helps when thoughts go round in circles.")
    page.locator("#id_authors_0").check()
    add_block(page, "Heading")
    page.locator("#body-0-value-text").fill("Why walking helps")
    add_block(page, "Paragraph")
    page.locator("#body-1-value").locator("xpath=..").locator(".public-DraftEditor-content").click()
    page.keyboard.type("A steady pace gives a busy mind somewhere to go.")
    add_block(page, "Quote")
    page.locator("#body-2-value-quote").fill("Solvitur ambulando: it is solved by walking.")
    add_block(page, "Image")
    page.locator("[id^='body-3']").get_by_role("button", name="Choose an image").first.click()
    page.locator("[role=dialog] a[data-chooser-modal-choice]").first.click()
    page.locator("#body-3-value-alt_text").fill("A path through a quiet wood")
    page.get_by_role("tab", name="Promote").click()
    if not page.locator("#id_slug").input_value():
        page.locator("#id_slug").fill("walking-as-a-way-to-think")


def test_editor_submits_a_post_the_counselor_approves_and_readers_find_it(demo_site, chromium, live_server):
    blog_index = BlogIndexPage.objects.get()
    editor = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
    page = editor.new_page()
    sign_in(page, "editor")
    write_post(page, blog_index.pk)
    page.get_by_role("button", name="More actions").click()
    assert page.get_by_role("button", name="Publish", exact=True).count() == 0
    page.get_by_role("button", name="Submit to Review before publishing").click()
    message = page.locator(".messages")
    # "created and submitted" from the new page's form, or "has been submitted" once Wagtail has autosaved it.
    message.get_by_text(re.compile(r"(created and|has been) submitted for moderation")).wait_for()
    edit_url = message.get_by_role("link", name="Edit").get_attribute("href")
    editor.close()

    reader = chromium.new_context(base_url=live_server.url).new_page()
    reader.goto("/blog/")
    assert TITLE not in reader.locator("main").inner_text()

    counselor = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
    page = counselor.new_page()
    sign_in(page, "counselor")
    page.goto(edit_url)
    page.locator("footer").get_by_role("button", name="Approve and publish", exact=True).click()
    page.locator(".messages").get_by_text(f"“{TITLE}” is approved and published on the site.").wait_for()
    counselor.close()

    # A new visitor: the first one's browser may keep /blog/ for its max-age of a few seconds, by design; the
    # server's page cache must not keep it past the publish.
    reader.context.close()
    reader = chromium.new_context(base_url=live_server.url).new_page()
    reader.goto("/blog/")
    reader.get_by_role("link", name=TITLE).first.click()
    assert reader.locator("h1").inner_text() == TITLE
    article = reader.locator("main")
    assert article.get_by_role("heading", name="Why walking helps").count() == 1
    assert "A steady pace gives a busy mind somewhere to go." in article.inner_text()
    assert "Solvitur ambulando" in article.locator("blockquote").inner_text()
    assert article.get_by_role("img", name="A path through a quiet wood").count() == 1

    feed = reader.request.get("/blog/feed/rss/")
    assert feed.ok and TITLE in feed.text()
    reader.goto("/search/?query=walking")
    assert reader.get_by_role("link", name=TITLE).count() >= 1
