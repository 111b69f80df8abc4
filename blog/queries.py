"""What the public may see of the blog, and the prefetches that keep listings cheap.

Every list a visitor or a feed reader gets (the index, tags, archives, feeds, related posts, the home page's latest
posts) starts from `visible_posts()`: the posts `home.visibility.public_pages` lets through (live, not expired, under
no view restriction), so a listing costs the same number of queries however many posts exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import TruncMonth
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.models import Author, BlogPage
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
    posts: QuerySet[BlogPage], *, image_filter: str = CARD_IMAGE_FILTER, with_tags: bool = False
) -> QuerySet[BlogPage]:
    """Authors, hero image and its rendition (and tags if asked) in a fixed number of queries for any number."""
    lookups = [
        Prefetch("authors", queryset=Author.objects.order_by("name")),
        Prefetch("hero_image__renditions", queryset=renditions(image_filter)),
    ]
    if with_tags:
        lookups.append("tags")
    return posts.select_related("hero_image").prefetch_related(*lookups)


def post_with_related(post: BlogPage, *, limit: int = 3) -> list[BlogPage]:
    """Load what a post's own page shows and return its related posts' cards, in four queries for any number of
    authors and images: the post's tags, the related posts (with their hero images), the authors of all of them
    (with photos), and the renditions of every image the page shows. Wagtail's rendition cache is off (settings
    CACHES["renditions"]): these renditions come with the page's own queries instead."""
    prefetch_related_objects([post], "tags")
    related = list(_related_posts(post, limit).select_related("hero_image"))
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


def visible_tag(index: Page | None, slug: str, *, among: Iterable[Tag] | None = None) -> Tag | None:
    """The tag with this slug if a visible post uses it, else None. `among`: tags already read with
    `visible_tags(index)`, searched instead of asking the database."""
    if among is not None:
        return next((tag for tag in among if tag.slug == slug), None)
    return visible_tags(index).filter(slug=slug).first()


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


def related_posts(post: BlogPage, *, limit: int = 3) -> list[BlogPage]:
    """Visible posts sharing the most tags with `post`, then the newest, never `post` itself, with card data."""
    return list(with_card_data(_related_posts(post, limit)))


def _related_posts(post: BlogPage, limit: int) -> QuerySet[BlogPage]:
    """The `limit` related posts, best first, in one query: every visible post is ranked in a subquery grouped by
    id alone, and only the chosen few are read whole (grouping every post's whole row, body included, took most
    of a post page's database time)."""
    tag_ids = [tag.pk for tag in post.tags.all()]
    posts = visible_posts().exclude(pk=post.pk)
    shared_tags = (
        Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
        if tag_ids
        else Value(0)
    )
    order = ("-shared_tags", "-date", "-first_published_at", "-pk")
    chosen = posts.values("pk").annotate(shared_tags=shared_tags).order_by(*order).values("pk")[:limit]
    return posts.filter(pk__in=chosen).annotate(shared_tags=shared_tags).order_by(*order)
