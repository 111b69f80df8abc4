"""RSS 2.0 and Atom feeds of the whole blog and of each tag, built on django.contrib.syndication.

Served by the blog index's routes (/blog/feed/rss/, /blog/feed/atom/, /blog/tag/<slug>/feed/rss/, ...), so the
URLs follow the index wherever editors move it. Every URL in a feed is absolute on the Wagtail Site that serves
the index (never django.contrib.sites, never example.com). Each entry carries the full post, the summary, its
authors, tags, a publication and an updated date with timezone, and a `tag:` URI as its id that is built from the
page id, so renaming a post's slug does not make feed readers show it again as new.

Conditional GET: Feed sets Last-Modified from the newest entry's updated date, and the site's
ConditionalGetMiddleware adds an ETag and answers 304.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Site

from blog.queries import HERO_IMAGE_FILTER, TagCount, tag_names, visible_posts, visible_tag, with_card_data
from blog.rendering import absolute_url, absolutize_urls, prefetch_streams
from home.models import PracticeSettings

if TYPE_CHECKING:
    from blog.models import BlogIndexPage, BlogPage

FEED_LENGTH = 20


class FullContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the whole post in content:encoded."""

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtomFeed(Atom1Feed):
    """Atom with the whole post in <content type="html">, beside the summary."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class BlogFeed(Feed):
    """One feed: built per request for an index, an optional tag and a format."""

    def __init__(
        self, *, index: BlogIndexPage, request: HttpRequest, kind: str, tag: TagCount | None
    ) -> None:
        super().__init__()
        self.index = index
        self.tag = tag
        self.kind = kind
        self.feed_type = FullContentAtomFeed if kind == "atom" else FullContentRssFeed
        self.site = Site.find_for_request(request) or index.get_site()
        self.base_url = self.site.root_url
        self.practice_name = PracticeSettings.for_site(self.site).practice_name
        self.index_path = index.get_url(request=request, current_site=self.site)
        self.posts = self._load_posts()
        self.tag_names = tag_names(self.posts)

    def _load_posts(self) -> list[BlogPage]:
        posts = visible_posts(self.index)
        if self.tag is not None:
            posts = posts.filter(tagged_items__tag_id=self.tag.pk)
        posts = list(with_card_data(posts, image_filter=HERO_IMAGE_FILTER, whole=True)[:FEED_LENGTH])
        prefetch_streams(post.body for post in posts)
        return posts

    def _absolute(self, relative: str) -> str:
        return absolute_url(relative, self.base_url)

    def _route(self, name: str, **kwargs) -> str:
        return self._absolute(self.index_path + self.index.reverse_subpage(name, kwargs=kwargs or None))

    # Channel ------------------------------------------------------------------------------------------------

    def title(self) -> str:
        if self.tag:
            return f"{self.practice_name}: {self.index.title}, posts tagged “{self.tag.name}”"
        return f"{self.practice_name}: {self.index.title}"

    def link(self) -> str:
        if self.tag:
            return self._route("tag", tag=self.tag.slug)
        return self._absolute(self.index_path)

    def feed_url(self) -> str:
        suffix = "feed_atom" if self.kind == "atom" else "feed_rss"
        if self.tag:
            return self._route(f"tag_{suffix}", tag=self.tag.slug)
        return self._route(suffix)

    def description(self) -> str:
        return self.index.introduction or f"New posts from {self.practice_name}."

    subtitle = description

    def feed_guid(self) -> str:
        return self.feed_url()

    def author_name(self) -> str:
        return self.practice_name

    def items(self) -> list[BlogPage]:
        return self.posts

    # Items ---------------------------------------------------------------------------------------------------

    def item_title(self, post: BlogPage) -> str:
        return post.title

    def item_description(self, post: BlogPage) -> str:
        return post.summary

    def item_link(self, post: BlogPage) -> str:
        return self._absolute(self.index_path + post.slug + "/")

    def item_guid(self, post: BlogPage) -> str:
        """`tag:host,first-publication-date:blog-post-<id>`: the same for the post's whole life."""
        first = (post.first_published_at or post.published_at).date().isoformat()
        return f"tag:{self.site.hostname},{first}:blog-post-{post.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, post: BlogPage):
        return post.published_at

    def item_updateddate(self, post: BlogPage):
        return post.updated_at

    def item_author_name(self, post: BlogPage) -> str:
        names = [author.display_name for author in post.authors.all()]
        return " and ".join(names) or self.practice_name

    def item_categories(self, post: BlogPage) -> list[str]:
        return self.tag_names.get(post.pk, [])

    def item_extra_kwargs(self, post: BlogPage) -> dict:
        html = render_to_string("blog/includes/feed_content.html", {"post": post, "request": None})
        html += f'<p><a href="{self.item_link(post)}">Read “{post.title}” on {self.practice_name}</a></p>'
        return {"content_html": absolutize_urls(html, self.base_url)}


def serve_feed(
    index: BlogIndexPage, request: HttpRequest, *, kind: str, tag_slug: str | None = None
) -> HttpResponse:
    tag = None
    if tag_slug is not None:
        tag = visible_tag(index, tag_slug)
        if tag is None:
            raise Http404("No visible post has this tag")
    response = BlogFeed(index=index, request=request, kind=kind, tag=tag)(request)
    # The feed writer hands the response some eight hundred small pieces, which a WSGI server would send one
    # write at a time; joined, the feed goes out in one.
    response.content = response.content
    return response
