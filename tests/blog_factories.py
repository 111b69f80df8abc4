"""Builders for blog tests: an index, authors and posts with sensible defaults; keyword arguments override."""

from __future__ import annotations

import datetime
import io
from itertools import count

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from blog.models import Author, BlogIndexPage, BlogPage
from tests.factories import publish

_sequence = count(1)


def make_image(title: str = "Test image"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1400, 800), (120, 160, 150)).save(buffer, format="JPEG")
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"test-{next(_sequence)}.jpg")
    image.save()
    return image


def make_blog_index(home: Page, **fields) -> BlogIndexPage:
    existing = BlogIndexPage.objects.first()
    if existing:
        return existing
    fields.setdefault("title", "Blog")
    fields.setdefault("slug", "blog")
    fields.setdefault("introduction", "Notes on anxiety, sleep, grief and relationships.")
    index = BlogIndexPage(**fields)
    home.add_child(instance=index)
    return publish(index)


def make_author(**fields) -> Author:
    fields.setdefault("name", "Maya Ellison")
    fields.setdefault("credentials", "LCMHC")
    fields.setdefault("bio", "A counselor who writes about everyday mental health.")
    author, _ = Author.objects.get_or_create(name=fields.pop("name"), defaults=fields)
    return author


def simple_body(text: str = "Plain words about calm. " * 10) -> list:
    return [
        ("heading", {"text": "Where to begin", "level": "h2"}),
        ("paragraph", f'<p>{text} See <a href="https://example.org/help">a resource</a>.</p>'),
        ("quote", {"quote": "Small steps count.", "attribution": ""}),
    ]


def rich_body(*, image=None, cta_page: Page | None = None) -> list:
    """A body with every kind of block that touches the database: an image and a call to action."""
    body = simple_body()
    if image is not None:
        body.append(("image", {"image": image, "alt_text": "A quiet lake", "caption": "Stillness"}))
    if cta_page is not None:
        body.append(
            (
                "call_to_action",
                {
                    "heading": "Ready to talk?",
                    "text": "",
                    "button_text": "Book a consultation",
                    "page": cta_page,
                },
            )
        )
    return body


def make_post(
    index: BlogIndexPage,
    *,
    live: bool = True,
    tags: list[str] | None = None,
    authors: list[Author] | None = None,
    **fields,
) -> BlogPage:
    number = next(_sequence)
    fields.setdefault("title", f"Post {number}")
    fields.setdefault("slug", f"post-{number}")
    fields.setdefault("summary", f"Summary of post {number}.")
    fields.setdefault("date", datetime.date(2025, 1, 1) + datetime.timedelta(days=number))
    fields.setdefault("body", simple_body())
    post = BlogPage(**fields)
    post.authors = authors if authors is not None else [make_author()]
    if tags:
        post.tags.add(*tags)
    index.add_child(instance=post)
    if live:
        return publish(post)
    post.live = False
    post.save_revision()
    post.save(update_fields=["live"])
    return post


def restrict(page: Page, *, password: str | None = None) -> PageViewRestriction:
    """A password restriction when `password` is given, a login restriction otherwise."""
    if password:
        return PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
        )
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def schedule(post: BlogPage, *, go_live_at: datetime.datetime) -> BlogPage:
    """Approve a revision to go live later, as the Publish button does with a go-live date."""
    post.go_live_at = go_live_at
    post.save_revision().publish()
    post.refresh_from_db()
    return post
