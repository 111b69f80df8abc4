"""Template tags of the blog: the home page's latest posts, absolute share URLs and schema.org JSON-LD."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Site

from blog.models import BlogPage
from blog.queries import HERO_IMAGE_FILTER, IMAGE_FILTERS, latest_posts
from blog.rendering import absolute_url
from home.json_ld import json_ld_script

register = template.Library()

# One Filter per size for the process: Wagtail parses a filter spec given as a string again for every image.
SIZES = {size: Filter(spec=spec) for size, spec in IMAGE_FILTERS.items()}


@register.simple_tag
def blog_image(image, size: str, **attributes) -> SafeString | str:
    """Wagtail's `{% image %}` at one of the blog's sizes, by name (blog.queries.IMAGE_FILTERS):
    `{% blog_image post.hero_image "card" alt="" loading="lazy" %}`. No image, no tag."""
    if not image:
        return ""
    return get_rendition_or_not_found(image, SIZES[size]).img_tag(attributes)


@register.simple_tag
def latest_blog_posts(count: int = 3) -> list[BlogPage]:
    """The newest posts the public may see, with authors, tags and card images prefetched."""
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 3
    return latest_posts(min(max(count, 1), 12))


def _root_url(context) -> str:
    """The root URL of the Wagtail Site serving this request (found once per request by Wagtail and kept)."""
    request: HttpRequest | None = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        page = context.get("page")
        site = page.get_site() if page else None
    return site.root_url if site else ""


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    """`url` made absolute on the Wagtail Site serving the page."""
    return absolute_url(str(url), _root_url(context))


@register.simple_tag(takes_context=True)
def social_image_url(context, post: BlogPage) -> str:
    """The absolute URL of the post's hero image cropped for link previews (1200x630), or ""."""
    if not post.hero_image:
        return ""
    return absolute_url(post.hero_image.get_rendition(HERO_IMAGE_FILTER).url, _root_url(context))


@register.simple_tag(takes_context=True)
def blog_posting_jsonld(context, post: BlogPage) -> SafeString:
    """A schema.org BlogPosting as `<script type="application/ld+json">`: data, not code, with `<>&` escaped."""
    request = context.get("request")
    practice = context.get("settings")
    practice_name = practice["home"]["PracticeSettings"].practice_name if practice else ""
    url = post.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": post.published_at.isoformat(),
        "dateModified": post.updated_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                **({"jobTitle": author.credentials} if author.credentials else {}),
            }
            for author in post.authors.all()
        ],
        "keywords": [tag.name for tag in post.tags.all()],
        "timeRequired": f"PT{post.reading_time}M",
    }
    if practice_name:
        data["publisher"] = {"@type": "Organization", "name": practice_name}
    image = social_image_url(context, post)
    if image:
        data["image"] = image
    return json_ld_script(data)
