"""Alt text in the post editor, in Chromium: choosing an image with no description keeps autosave going;
publishing then asks for a description or the "decorative" tick, and a decorative hero publishes.

Screenshots go to SHOTS_DIR when it is set (they are for looking at, never kept in the repo).
"""

import os
from pathlib import Path

import pytest

from blog.models import BlogPage
from tests.blog_factories import make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "practice-demo-2026"
SHOTS_DIR = os.environ.get("SHOTS_DIR", "")


def shoot(page, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS_DIR) / f"{name}.png"), full_page=False)


def autosaved_hero_image(page, post: BlogPage, seconds: float = 20) -> int | None:
    """The hero image of the post's latest revision once Wagtail's autosave has stored the choice.

    Autosave runs after the writer's next change, not on the chooser's own; she goes on writing in the summary
    (a space every two seconds) until it has, as a person would, for at most `seconds`.
    """
    summary = page.locator("#id_summary")
    for tick in range(int(seconds * 4)):
        if tick % 8 == 0:
            summary.press("End")
            summary.type(" ")
        page.wait_for_timeout(250)
        post.refresh_from_db()
        chosen = post.get_latest_revision_as_object().hero_image_id
        if chosen != post.hero_image_id:
            return chosen
    return post.hero_image_id


def test_an_undescribed_hero_image_autosaves_and_publishing_asks_for_a_description_or_decorative(
    demo_site, chromium, live_server
):
    undescribed = make_image("Undescribed photo")
    post = BlogPage.objects.live().first()
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("counselor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/pages/{post.pk}/edit/")
    chooser = page.locator("#id_hero_image-chooser")
    chooser.get_by_role("button", name="Actions").click()
    chooser.locator("[data-chooser-action-choose]").first.click()
    page.locator("[role=dialog] a[data-chooser-modal-choice]").filter(
        has_text="Undescribed photo"
    ).first.click()
    chooser.get_by_text("Undescribed photo").wait_for()
    assert autosaved_hero_image(page, post) == undescribed.pk
    assert not page.get_by_text("Autosave is paused").is_visible()
    chooser.scroll_into_view_if_needed()
    shoot(page, "7-hero-image-chosen-autosaved")

    page.locator("button[name='action-publish']").first.click()
    page.get_by_text("This image has no description yet").first.wait_for()
    page.get_by_text("This image has no description yet").first.scroll_into_view_if_needed()
    shoot(page, "8-hero-image-publish-asks")
    post.refresh_from_db()
    assert post.hero_image_id != undescribed.pk

    page.locator("#id_hero_image_decorative").check()
    page.locator("button[name='action-publish']").first.click()
    page.wait_for_url("**/admin/pages/**")
    post.refresh_from_db()
    assert (post.hero_image_id, post.hero_image_decorative, post.hero_alt_text) == (undescribed.pk, True, "")
    context.close()
