"""Importing posts end to end through `manage.py import_posts`: drafts or published posts with their dates, tags,
images and old addresses; a second run changes nothing; a dry run changes nothing; bad items are reported."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

from blog.importing.items import SourceItem
from blog.importing.limits import ImportLimits
from blog.importing.planning import ImportOptions
from blog.importing.report import Outcome
from blog.importing.service import import_source
from blog.models import BlogPage, ImportedPost
from tests.blog_factories import make_author, make_post
from tests.blog_import_helpers import old_blog_fixture, source_file  # noqa: F401
from tests.test_blog_workflow import make_user

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_posts", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    """How many rows of everything an import writes there are."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "redirects": Redirect.objects.count(),
        "records": ImportedPost.objects.count(),
    }


@pytest.fixture
def wxr(tmp_path, old_blog):
    return str(source_file("wordpress_export.xml", tmp_path, old_blog))


def test_a_wordpress_export_becomes_draft_posts_with_their_dates_tags_summaries_and_blocks(blog_index, wxr):
    make_author(name="Jordan Wells", credentials="LCSW")
    output = run(wxr)

    assert "Import finished. WordPress export: 3 created, 3 skipped." in output
    panic = BlogPage.objects.get(slug="breathing-through-a-panic-attack")
    assert panic.get_parent().pk == blog_index.pk
    assert not panic.live and panic.has_unpublished_changes
    assert panic.date == datetime.date(2021, 3, 16)
    assert panic.summary == "Panic feels like an emergency, but it passes. A breathing pattern that helps."
    assert sorted(panic.tags.names()) == ["Anxiety", "Breathing"]
    assert [author.name for author in panic.authors.all()] == ["Jordan Wells"]
    kinds = [block.block_type for block in panic.body]
    assert kinds == ["paragraph", "heading", "paragraph", "quote", "image", "embed", "paragraph"]
    assert panic.body[1].value["text"] == "Slow the breath out"
    rendered = str(panic.body)
    assert "document.cookie" not in rendered and "display: none" not in rendered and "track()" not in rendered
    assert "pixel.gif" not in rendered
    assert panic.latest_revision is not None

    grief = BlogPage.objects.get(title="Notes on grief")
    assert grief.slug == "notes-on-grief" and grief.date == datetime.date(2025, 10, 20)
    assert [block.block_type for block in grief.body] == ["paragraph"]
    assert grief.summary == "Grief does not follow stages in order."


def test_the_report_says_why_pages_attachments_and_trash_are_skipped(blog_index, wxr):
    output = run(wxr)
    assert "- About me: skipped: A WordPress page, not a blog post." in output
    assert "- lake: skipped: A media file." in output
    assert "- Old announcement: skipped: It is in the old blog's trash" in output
    assert "Removed for safety: 1 event handler, 1 script, 1 style sheet and 1 tracking pixel." in output


def test_images_come_into_the_library_once_with_alt_text_and_failures_stay_links(blog_index, wxr, old_blog):
    run(wxr)
    panic = BlogPage.objects.get(slug="breathing-through-a-panic-attack")
    image_block = next(block for block in panic.body if block.block_type == "image")
    image = image_block.value if hasattr(image_block.value, "file") else image_block.value["image"]
    assert (image.width, image.height) == (640, 400)
    assert panic.hero_image_id == image.pk and panic.hero_alt_text == "A calm lake at dawn"
    assert old_blog.image_requests().count("/wp-content/uploads/2021/03/lake.jpg") == 1

    sleep = BlogPage.objects.get(slug="sleep-when-your-mind-races")
    kinds = [block.block_type for block in sleep.body]
    assert kinds.count("image") == 1  # moon.png came in; missing.jpg answered 404
    assert (
        '<a href="' + old_blog.url + '/wp-content/uploads/2021/06/missing.jpg">A lamp by the bed</a>'
        in str(sleep.body)
    )
    assert get_image_model().objects.count() == 2
    assert "/pixel.gif" not in old_blog.requests


def test_the_old_addresses_redirect_permanently_to_the_new_posts(client, blog_index, wxr):
    run(wxr)
    panic = BlogPage.objects.get(slug="breathing-through-a-panic-attack")
    redirect = Redirect.objects.get(old_path="/2021/03/breathing-through-a-panic-attack")
    assert redirect.redirect_page_id == panic.pk and redirect.is_permanent
    assert Redirect.objects.filter(old_path="/?p=13").exists()  # a draft's only address on WordPress


def test_publish_publishes_what_was_public_keeps_drafts_and_posts_with_undescribed_images_as_drafts(
    client, blog_index, wxr
):
    output = run(wxr, "--publish")
    panic = BlogPage.objects.get(slug="breathing-through-a-panic-attack")
    assert panic.live
    assert panic.first_published_at == datetime.datetime(2021, 3, 16, 14, 30, tzinfo=datetime.UTC)
    assert not BlogPage.objects.get(title="Notes on grief").live
    assert "It was not published on the old blog, so it stays a draft here." in output
    sleep = BlogPage.objects.get(slug="sleep-when-your-mind-races")
    assert not sleep.live  # moon.png has no alt text
    assert "1 image without a description (alt text), so the post stays a draft" in output

    response = client.get("/2021/03/breathing-through-a-panic-attack/")
    assert response.status_code == 301 and response["Location"] == "/blog/breathing-through-a-panic-attack/"


def test_running_the_same_import_twice_changes_nothing(blog_index, wxr, old_blog):
    run(wxr, "--publish")
    before = snapshot()
    fetched = len(old_blog.image_requests())
    output = run(wxr, "--publish")
    assert snapshot() == before
    assert len(old_blog.image_requests()) == fetched
    assert "Import finished. WordPress export: 6 skipped." in output
    assert "Already imported, and unchanged on the old blog." in output


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(blog_index, wxr, old_blog):
    before = snapshot()
    output = run(wxr, "--dry-run", "--publish")
    assert snapshot() == before
    assert old_blog.image_requests() == []
    assert "Dry run: nothing was changed. WordPress export: 3 would be created, 3 would be skipped." in output
    assert "- Breathing through a panic attack: would be created and published at /blog/breathing-" in output
    assert "- Notes on grief: would be created as a draft at /blog/notes-on-grief/" in output


def test_an_item_changed_on_the_old_blog_is_updated_as_a_new_revision(blog_index, tmp_path, old_blog):
    path = source_file("wordpress_export.xml", tmp_path, old_blog)
    run(str(path))
    grief = BlogPage.objects.get(title="Notes on grief")
    revisions = grief.revisions.count()
    path.write_text(path.read_text().replace("Grief does not follow stages", "Grief rarely follows stages"))

    output = run(str(path))
    assert "- Notes on grief: updated as a draft at /blog/notes-on-grief/: Changed on the old blog" in output
    grief.refresh_from_db()
    assert grief.revisions.count() == revisions + 1
    latest = grief.get_latest_revision_as_object()
    assert "Grief rarely follows stages" in str(latest.body)
    assert BlogPage.objects.filter(title="Notes on grief").count() == 1


def test_a_post_edited_here_is_not_overwritten_by_a_later_import(blog_index, tmp_path, old_blog):
    path = source_file("wordpress_export.xml", tmp_path, old_blog)
    run(str(path))
    grief = BlogPage.objects.get(title="Notes on grief")
    grief.summary = "The counselor's own summary."
    grief.save_revision()
    path.write_text(path.read_text().replace("Grief does not follow stages", "Grief rarely follows stages"))

    output = run(str(path))
    assert "the edits made here are kept" in output
    assert grief.get_latest_revision_as_object().summary == "The counselor's own summary."


def test_a_post_deleted_here_is_not_brought_back(blog_index, wxr):
    run(wxr)
    BlogPage.objects.get(title="Notes on grief").delete()
    output = run(wxr)
    assert "deleted here since; it is not brought back" in output
    assert not BlogPage.objects.filter(title="Notes on grief").exists()


def test_an_imported_draft_goes_through_the_review_workflow(blog_index, wxr):
    run(wxr)
    editor, counselor = make_user("editor", "Editors"), make_user("counselor", "Counselor")
    post = BlogPage.objects.get(title="Notes on grief")
    post.authors = [make_author()]
    post.save_revision(user=editor)
    state = post.get_workflow().start(post, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, counselor, "approve")
    post.refresh_from_db()
    assert post.live


def test_author_credits_every_post_and_an_unknown_author_stops_the_run(blog_index, wxr):
    make_author(name="Someone Else")
    maya = make_author(name="Maya Ellison")
    with pytest.raises(CommandError, match="There is no author called “Nobody”. Authors on this site: Maya"):
        run(wxr, "--author", "Nobody")
    assert not BlogPage.objects.exists()
    run(wxr, "--author", "maya ellison")
    assert {post.authors.get() for post in BlogPage.objects.all()} == {maya}


def test_without_a_matching_author_the_report_asks_to_choose_one(blog_index, wxr):
    make_author(name="Someone Else")
    make_author(name="Another Person")
    output = run(wxr)
    assert "No author here matches “Jordan Wells”; choose one in the editor." in output


def test_an_rss_feed_with_duplicate_titles_and_an_untitled_item(client, blog_index, tmp_path, old_blog):
    output = run(str(source_file("rss_feed.xml", tmp_path, old_blog)), "--publish")
    assert "RSS feed: 3 created, 1 skipped." in output
    assert "- Item 4 (no title): skipped: It has no title." in output
    assert (
        "The address “self-care-on-hard-days” was already taken, so this post's is “self-care-on-hard-days-2”"
        in (output)
    )
    fits = BlogPage.objects.get(slug="finding-a-therapist-who-fits")
    assert fits.live and sorted(fits.tags.names()) == ["First steps", "Therapy"]
    assert fits.summary == "What to ask in a first call, and why fit matters more than credentials."
    assert [block.block_type for block in fits.body] == [
        "paragraph",
        "heading",
        "paragraph",
        "image",
        "paragraph",
    ]
    second = BlogPage.objects.get(slug="self-care-on-hard-days")
    assert second.summary == "On the hardest days, small counts."
    response = client.get("/blog/finding-a-therapist-who-fits/")
    assert response.status_code == 200
    assert b"Questions for a first call" in response.content and b"onerror" not in response.content
    assert client.get("/blog/2022/5/finding-a-therapist").status_code == 301


def test_slugs_taken_by_existing_posts_are_not_reused(blog_index, tmp_path, old_blog):
    make_post(blog_index, slug="finding-a-therapist-who-fits", title="An older post")
    run(str(source_file("rss_feed.xml", tmp_path, old_blog)))
    assert BlogPage.objects.filter(
        slug="finding-a-therapist-who-fits-2", title="Finding a therapist who fits"
    ).exists()


def test_an_atom_feed_imports_its_entries(blog_index, tmp_path, old_blog):
    run(str(source_file("atom_feed.xml", tmp_path, old_blog)))
    teens = BlogPage.objects.get(slug="talking-with-teens-about-stress")
    assert teens.title == "Talking with teens about stress"
    assert teens.date == datetime.date(2023, 1, 15)
    assert [block.block_type for block in teens.body] == ["paragraph", "quote"]
    winter = BlogPage.objects.get(slug="winter-and-low-mood")
    assert Redirect.objects.get(old_path="/posts/winter-and-low-mood").redirect_page_id == winter.pk


def test_a_bad_source_stops_the_command_with_its_message_and_writes_nothing(blog_index, tmp_path):
    before = snapshot()
    with pytest.raises(CommandError, match="not well-formed XML: the structure breaks at line 4"):
        run(str(source_file("malformed.xml", tmp_path)))
    assert snapshot() == before


def test_without_a_blog_the_command_says_to_create_one_first(home_page, wxr):
    with pytest.raises(CommandError, match="The site has no blog yet"):
        run(wxr)


def test_an_item_that_fails_to_save_leaves_nothing_behind_and_the_others_are_imported(
    blog_index,
    tmp_path,
    old_blog,
    monkeypatch,
):
    from blog.importing import writing

    original = writing.redirect_old_address

    def failing_redirect(*, link, page, site):
        if "finding-a-therapist" in link:
            raise RuntimeError("the database went away")
        return original(link=link, page=page, site=site)

    monkeypatch.setattr(writing, "redirect_old_address", failing_redirect)
    with pytest.raises(CommandError, match="1 item"):
        run(str(source_file("rss_feed.xml", tmp_path, old_blog)))
    assert not BlogPage.objects.filter(title="Finding a therapist who fits").exists()
    assert not ImportedPost.objects.filter(guid="5f2b1c0e-therapist-fit").exists()
    assert get_image_model().objects.count() == 0  # chairs.jpg was stored in the failed transaction
    assert BlogPage.objects.filter(slug__startswith="self-care-on-hard-days").count() == 2


def test_the_service_plans_every_item_before_writing_any(blog_index, monkeypatch):
    """An item whose conversion cannot be validated is skipped in planning; nothing is half-written."""
    from blog.importing.items import ParsedSource

    limit = (
        BlogPage._meta.get_field("body")
        .stream_block.child_blocks["quote"]
        .child_blocks["quote"]
        .field.max_length
    )
    assert limit  # long quotes become italic paragraphs instead of failing validation
    items = [
        SourceItem(position=1, title="Fine", guid="a", content_html="<p>Fine.</p>"),
        SourceItem(
            position=2,
            title="Long quote",
            guid="b",
            content_html=f"<blockquote>{'x' * (limit + 5)}</blockquote>",
        ),
    ]
    report = import_source(
        ParsedSource(format_name="RSS feed", site_url="", items=items),
        options=ImportOptions(),
        dry_run=False,
        limits=ImportLimits.from_settings(),
    )
    assert [item.outcome for item in report.items] == [Outcome.CREATED, Outcome.CREATED]
    long_quote = BlogPage.objects.get(title="Long quote")
    assert [block.block_type for block in long_quote.body] == ["paragraph"]
