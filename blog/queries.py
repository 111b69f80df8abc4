"""What the public may see of the blog, decided in one place, and the prefetches that keep listings cheap.

Every list a visitor or a feed reader gets (the index, tags, archives, feeds, related posts, the home page's latest
posts) starts from `visible_posts()`: live, not expired, and under no view restriction (password, login or
group). The restriction test is a correlated subquery rather than Wagtail's `.public()`, which reads every
restriction in a separate query, so a listing costs the same number of queries however many posts exist.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Length, Substr
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from blog.models import Author, BlogPage

CARD_IMAGE_FILTER = "fill-640x336"
HERO_IMAGE_FILTER = "fill-1200x630"
AUTHOR_PHOTO_FILTER = "fill-160x160"


def restricted_q() -> Exists:
    """True for a page that is, or sits below, a page with a view restriction."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path")),
        )
    )


def visible_posts(index: Page | None = None) -> QuerySet[BlogPage]:
    """Posts the public may see, newest first: live, not expired, not restricted."""
    now = timezone.now()
    posts = (
        BlogPage.objects.live()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .exclude(restricted_q())
    )
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


def prefetch_post_details(post: BlogPage) -> None:
    """What a post's own page shows: tags, and authors with their photos.

    The hero's and the photos' renditions are not prefetched: for a single post Wagtail's rendition cache
    answers them without a query, where a prefetch would cost one on every uncached view.
    """
    prefetch_related_objects(
        [post],
        "tags",
        Prefetch("authors", queryset=Author.objects.order_by("name").select_related("photo")),
    )


def visible_tags(index: Page | None = None) -> QuerySet[Tag]:
    """Tags used by at least one visible post, with how many; a tag only a draft uses is never shown."""
    posts = visible_posts(index).values("pk")
    return (
        Tag.objects.filter(blog_blogpagetag_items__content_object__in=posts)
        .annotate(post_count=Count("blog_blogpagetag_items", distinct=True))
        .order_by("name")
    )


def latest_posts(count: int) -> list[BlogPage]:
    return list(with_card_data(visible_posts())[: max(0, count)])


def related_posts(post: BlogPage, *, limit: int = 3) -> list[BlogPage]:
    """Visible posts sharing the most tags with `post`, then the newest, never `post` itself."""
    tag_ids = [tag.pk for tag in post.tags.all()]
    posts = visible_posts().exclude(pk=post.pk)
    if tag_ids:
        posts = posts.annotate(
            shared_tags=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
        ).order_by("-shared_tags", "-date", "-first_published_at", "-pk")
    return list(with_card_data(posts)[:limit])
