"""Alt text is asked once: the image's own description is the default wherever an image is placed (a post's hero
image, a StreamField image block), "decorative" gives an empty alt, and the check waits until publishing, so
choosing an image never pauses autosave or a draft."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.forms import HERO_NEEDS_DESCRIPTION
from home.blocks import ImageBlock
from tests.blog_factories import make_image, make_post

pytestmark = pytest.mark.django_db


def described_image(description: str = ""):
    image = make_image()
    image.description = description
    image.save()
    return image


def render_block(**value) -> str:
    block = ImageBlock()
    return block.render(block.to_python({"caption": "", "decorative": False, "alt_text": "", **value}))


def test_an_image_block_without_its_own_alt_text_uses_the_image_description():
    image = described_image("A wooden gate standing open")
    assert 'alt="A wooden gate standing open"' in render_block(image=image.pk)


def test_an_image_blocks_own_alt_text_wins_and_decorative_means_empty_alt():
    image = described_image("A wooden gate standing open")
    assert 'alt="The gate to our garden office"' in render_block(
        image=image.pk, alt_text="The gate to our garden office"
    )
    assert 'alt=""' in render_block(image=image.pk, alt_text="Ignored", decorative=True)


def test_an_image_block_with_no_description_no_alt_and_not_decorative_is_refused_at_publish_only():
    image = described_image("")
    block = ImageBlock()
    value = block.to_python({"image": image.pk, "alt_text": "", "decorative": False, "caption": ""})
    with pytest.raises(ValidationError):
        block.clean(value)
    block.defer_required_validation()
    assert block.clean(value)["image"] == image
    decorative = block.to_python({"image": image.pk, "alt_text": "", "decorative": True, "caption": ""})
    block.restore_deferred_validation()
    assert block.clean(decorative)["decorative"] is True


def test_a_stored_block_from_before_decorative_existed_still_renders():
    image = described_image("")
    assert 'alt="A quiet lake"' in render_block(image=image.pk, alt_text="A quiet lake")


def edit_post_data(post, *, image, decorative: bool = False, block_alt: str = "") -> dict:
    authors = [str(author.pk) for author in post.authors.all()]
    return nested_form_data(
        {
            "title": post.title,
            "slug": post.slug,
            "date": "2026-12-01",
            "tags": "",
            "summary": post.summary,
            "hero_image": str(image.pk),
            "hero_image_decorative": "on" if decorative else "",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Words.</p>")),
                    (
                        "image",
                        {"image": str(image.pk), "decorative": "", "alt_text": block_alt, "caption": ""},
                    ),
                ]
            ),
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        }
    ) | {"authors": authors}


def test_saving_a_draft_with_an_undescribed_image_works_and_publishing_asks_for_a_description(
    admin_client, blog_index
):
    post = make_post(blog_index)
    image = described_image("")
    url = reverse("wagtailadmin_pages:edit", args=[post.pk])

    draft = admin_client.post(url, edit_post_data(post, image=image))
    assert draft.status_code == 302, draft.content.decode()[:3000]
    post.refresh_from_db()
    assert post.get_latest_revision_as_object().hero_image_id == image.pk

    published = admin_client.post(
        url, edit_post_data(post, image=image) | {"action-publish": "action-publish"}
    )
    html = published.content.decode()
    assert published.status_code == 200
    assert "This image has no description yet." in html
    post.refresh_from_db()
    assert post.hero_image_id is None


def test_publishing_works_with_a_described_or_decorative_hero_image(admin_client, blog_index):
    post = make_post(blog_index)
    url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    described = described_image("Soft morning light over rolling hills")
    response = admin_client.post(url, edit_post_data(post, image=described) | {"action-publish": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    post.refresh_from_db()
    assert post.hero_alt_text == "Soft morning light over rolling hills"

    undescribed = described_image("")
    response = admin_client.post(
        url,
        edit_post_data(post, image=undescribed, decorative=True, block_alt="Hills") | {"action-publish": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    post.refresh_from_db()
    assert (post.hero_image_id, post.hero_alt_text) == (undescribed.pk, "")


def test_the_post_page_uses_the_image_description_and_leaves_a_decorative_hero_silent(client, blog_index):
    image = described_image("Two paths meeting on a hillside")
    post = make_post(blog_index, hero_image=image)
    html = client.get(post.url).content.decode()
    assert 'alt="Two paths meeting on a hillside"' in html
    assert '<meta property="og:image:alt" content="Two paths meeting on a hillside">' in html

    quiet = make_post(blog_index, hero_image=image, hero_image_decorative=True)
    quiet_html = client.get(quiet.url).content.decode()
    hero = quiet_html.split('class="blog-post__hero"')[1].split("</figure>")[0]
    assert 'alt=""' in hero
    assert "og:image:alt" not in quiet_html


def test_hero_message_names_the_choice_in_plain_words():
    assert "Decorative image" in HERO_NEEDS_DESCRIPTION


def test_migration_copies_alt_texts_into_empty_descriptions_newest_post_first():
    migration = importlib.import_module("blog.migrations.0005_hero_alt_from_image_description")
    rows = [
        (1, "", "Newest post's words"),
        (1, "", "Older post's words"),
        (2, "Already described", "Post's words"),
        (3, "", "   "),
        (4, "  ", "x" * 300),
    ]
    assert migration.descriptions_to_copy(rows) == {1: "Newest post's words", 4: "x" * 255}
