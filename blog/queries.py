"""What the public may see of the blog, and the prefetches that keep listings cheap.

Every list a visitor or a feed reader gets (the index, tags, archives, feeds, related posts, the home page's latest
posts) starts from `visible_posts()`: the posts `home.visibility.public_pages` lets through (live, not expired, under
no view restriction), so a listing costs the same number of queries however many posts exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import TruncMonth
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.models import Author, BlogPage, BlogPageTag
from home.frame_cache import remember_until_publish
from home.visibility import public_pages

CARD_IMAGE_FILTER = "fill-640x336"
HERO_IMAGE_FILTER = "fill-1200x630"
AUTHOR_PHOTO_FILTER = "fill-160x160"
# The sizes templates show, by name (`{% blog_image post.hero_image "card" %}`), so a prefetched rendition is the
# one a template asks for.
IMAGE_FILTERS = {"card": CARD_IMAGE_FILTER, "hero": HERO_IMAGE_FILTER, "author_photo": AUTHOR_PHOTO_FILTER}


def visible_posts(index: Page | None = None) -> QuerySet[BlogPage]:
    """Posts the public may see, newest first: live, not expired, not restricted."""
    posts = public_pages(BlogPage.objects.all())
    if index is not None:
        posts = posts.child_of(index)
    return posts.order_by("-date", "-first_published_at", "-pk")


def renditions(*filter_specs: str) -> QuerySet:
    return get_image_model().get_rendition_model().objects.filter(filter_spec__in=filter_specs)


def with_card_data(
    posts: QuerySet[BlogPage], *, image_filter: str = CARD_IMAGE_FILTER, whole: bool = False
) -> QuerySet[BlogPage]:
    """Authors, hero image and its rendition in a fixed number of queries for any number of posts. A card shows no
    body, so the body (by far the largest column) is left unread, unless `whole` asks for whole posts, as a feed
    does."""
    if not whole:
        posts = posts.defer("body")
    return posts.select_related("hero_image").prefetch_related(
        Prefetch("authors", queryset=Author.objects.order_by("name")),
        Prefetch("hero_image__renditions", queryset=renditions(image_filter)),
    )


def tag_names(posts: Iterable[BlogPage]) -> dict[int, list[str]]:
    """Each post's tag names, alphabetical, by post id: one query of plain rows, without the tag objects and
    related managers a prefetch builds for every post."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        BlogPageTag.objects.filter(content_object_id__in=[post.pk for post in posts])
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    )
    for post_id, name in rows:
        names[post_id].append(name)
    return names


def post_with_related(post: BlogPage, *, limit: int = 3) -> list[BlogPage]:
    """Load what a post's own page shows and return its related posts' cards, in five queries for any number of
    authors and images: the post's tags, the related posts (two, with their hero images), the authors of all of
    them (with photos), and the renditions of every image the page shows. Wagtail's rendition cache is off (settings
    CACHES["renditions"]): these renditions come with the page's own queries instead."""
    prefetch_related_objects([post], "tags")
    related = _related_posts(post, limit)
    posts = [post, *related]
    prefetch_related_objects(
        posts, Prefetch("authors", queryset=Author.objects.order_by("name").select_related("photo"))
    )
    images = {id(image): image for image in _images_shown(post, related) if image is not None}
    prefetch_related_objects(
        list(images.values()),
        Prefetch(
            "renditions", queryset=renditions(HERO_IMAGE_FILTER, AUTHOR_PHOTO_FILTER, CARD_IMAGE_FILTER)
        ),
    )
    return related


def _images_shown(post: BlogPage, related: list[BlogPage]) -> list:
    return [
        post.hero_image,
        *(author.photo for author in post.authors.all()),
        *(p.hero_image for p in related),
    ]


def visible_tags(index: Page | None = None) -> QuerySet[Tag]:
    """Tags used by at least one visible post, with how many; a tag only a draft uses is never shown."""
    posts = visible_posts(index).values("pk")
    return (
        Tag.objects.filter(blog_blogpagetag_items__content_object__in=posts)
        .annotate(post_count=Count("blog_blogpagetag_items", distinct=True))
        .order_by("name")
    )


@dataclass(frozen=True)
class TagCount:
    """A tag of the index's visible posts and how many use it, as its listings and feeds show it."""

    pk: int
    name: str
    slug: str
    post_count: int


def tag_counts(index: Page) -> list[TagCount]:
    """`visible_tags(index)`, read once per generation of the pages during a request: every listing of the index
    shows them, and a tag page or feed finds its tag among them."""
    return remember_until_publish(
        f"blog-tags:{index.pk}",
        lambda: [TagCount(tag.pk, tag.name, tag.slug, tag.post_count) for tag in visible_tags(index)],
    )


def visible_tag(index: Page, slug: str) -> TagCount | None:
    """The tag with this slug if a visible post under the index uses it, else None."""
    return next((tag for tag in tag_counts(index) if tag.slug == slug), None)


def archive_months(index: Page | None = None) -> list[tuple[date, int]]:
    """Each month with at least one visible post, newest first, with how many (one query)."""
    rows = (
        visible_posts(index)
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(post_count=Count("pk"))
        .order_by("-month")
    )
    return [(row["month"], row["post_count"]) for row in rows]


def latest_posts(count: int) -> list[BlogPage]:
    return list(with_card_data(visible_posts())[: max(0, count)])


def _related_posts(post: BlogPage, limit: int) -> list[BlogPage]:
    """The `limit` related posts with their hero images, best first: those sharing the most tags with `post`, then
    the newest. Two queries for any number of posts: the ranking reads only the tag rows of `post`'s own tags (a
    few per post, never every post's), then the ranked posts and the newest are read together, without bodies."""
    tag_ids = [tag.pk for tag in post.tags.all()]
    posts = visible_posts().exclude(pk=post.pk)
    ranked: list[int] = []
    if tag_ids:
        ranked = list(
            posts.filter(tagged_items__tag_id__in=tag_ids)
            .values("pk")
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-date", "-first_published_at", "-pk")
            .values_list("pk", flat=True)[:limit]
        )
    newest = posts.values("pk")[:limit]
    found = list(posts.filter(Q(pk__in=ranked) | Q(pk__in=newest)).select_related("hero_image").defer("body"))
    by_pk = {each.pk: each for each in found}
    related = [by_pk[pk] for pk in ranked if pk in by_pk]
    return related + [each for each in found if each.pk not in ranked][: limit - len(related)]
