"""Blog models: where pages may live, reading time, related posts, search fields."""

import pytest
from wagtail.search import index as search_index

from blog.models import BlogIndexPage, BlogPage
from blog.queries import post_with_related
from tests.blog_factories import make_author, make_post

pytestmark = pytest.mark.django_db


def test_blog_index_lives_only_under_the_home_page_and_only_once(blog_index):
    assert BlogIndexPage.parent_page_types == ["home.HomePage"]
    assert BlogIndexPage.max_count == 1
    assert BlogPage.parent_page_types == ["blog.BlogIndexPage"]
    assert not BlogIndexPage.can_create_at(blog_index.get_parent())


def test_a_post_without_hero_image_needs_no_alt_text(blog_index):
    post = make_post(blog_index)
    post.full_clean()


def test_a_post_needs_at_least_one_author(blog_index):
    field = BlogPage._meta.get_field("authors")
    assert field.blank is False


def test_reading_time_is_computed_from_the_body_at_200_words_a_minute(blog_index):
    short = make_post(blog_index, body=[("paragraph", "<p>" + "word " * 150 + "</p>")])
    long = make_post(
        blog_index,
        body=[
            ("heading", {"text": "One two three", "level": "h2"}),
            ("paragraph", "<p>" + "word " * 900 + "</p>"),
            ("quote", {"quote": "word " * 100, "attribution": ""}),
        ],
    )
    assert short.reading_time == 1
    assert long.reading_time == 6  # 1003 words


def test_related_posts_prefer_shared_tags_then_the_newest(blog_index):
    import datetime

    post = make_post(blog_index, tags=["sleep", "anxiety"])
    two_shared = make_post(blog_index, tags=["sleep", "anxiety"], date=datetime.date(2024, 1, 1))
    one_shared = make_post(blog_index, tags=["sleep"], date=datetime.date(2024, 6, 1))
    newest_unrelated = make_post(blog_index, tags=["grief"], date=datetime.date(2025, 12, 1))
    make_post(blog_index, tags=["grief"], date=datetime.date(2020, 1, 1))

    assert post_with_related(post, limit=3) == [two_shared, one_shared, newest_unrelated]


def test_related_posts_are_visible_posts_only_and_never_the_post_itself(blog_index):
    import datetime

    post = make_post(blog_index, tags=["sleep"])
    make_post(blog_index, tags=["sleep"], live=False)
    sharing = make_post(blog_index, tags=["sleep"], date=datetime.date(2020, 1, 1))
    newest = make_post(blog_index, date=datetime.date(2025, 1, 1))

    assert post_with_related(post, limit=3) == [sharing, newest]


def test_a_post_without_tags_is_followed_by_the_newest_posts(blog_index):
    import datetime

    post = make_post(blog_index)
    older = make_post(blog_index, tags=["sleep"], date=datetime.date(2020, 1, 1))
    newer = make_post(blog_index, tags=["grief"], date=datetime.date(2024, 1, 1))

    assert post_with_related(post, limit=2) == [newer, older]


def test_title_and_tags_are_boosted_above_the_body_for_search():
    fields = {(type(f).__name__, f.field_name): f for f in BlogPage.search_fields}
    title = next(
        f
        for f in BlogPage.search_fields
        if isinstance(f, search_index.SearchField) and f.field_name == "title" and f.boost
    )
    tags = fields[("RelatedFields", "tags")]
    tag_name = next(f for f in tags.fields if f.field_name == "name")
    body = fields[("SearchField", "body")]
    assert title.boost > 1 and tag_name.boost > 1 and not body.boost
    assert ("AutocompleteField", "title") in fields
    assert ("SearchField", "summary") in fields


def test_author_display_name_includes_credentials():
    author = make_author(name="Maya Ellison", credentials="LCMHC")
    assert str(author) == "Maya Ellison, LCMHC"
