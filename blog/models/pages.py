"""The blog's two page types: one index under the home page, and the posts beneath it.

The index answers every public blog URL through RoutablePageMixin: the newest posts, a tag, a year or month of the
archive, and the RSS and Atom feeds of each. What counts as "visible to the public" is decided once, in
`blog.queries.visible_posts`, so the index, archives, feeds, related posts and the home page agree.
"""

from __future__ import annotations

import math
from datetime import datetime, time

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index

from blog.forms import BlogPageForm
from blog.subscriptions.panels import EmailSubscribersPanel
from home.blocks import BaseStreamBlock, image_alt_text
from home.visibility import KnownRestrictionsMixin
from home.wagtail_internals import give_parent, given_parent

WORDS_PER_MINUTE = 200


class BlogPageTag(TaggedItemBase):
    """The through model of a post's tags; a ParentalKey so tags are saved in revisions with the post."""

    content_object = ParentalKey("blog.BlogPage", on_delete=models.CASCADE, related_name="tagged_items")


class BlogIndexPage(KnownRestrictionsMixin, RoutablePageMixin, Page):
    """The blog's front page, and the single place its lists and feeds are served from."""

    introduction = models.TextField(
        blank=True,
        max_length=400,
        verbose_name="introduction",
        help_text="One or two sentences shown under the title and in the feeds' description.",
    )
    posts_per_page = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        verbose_name="posts per page",
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    settings_panels = [*Page.settings_panels, FieldPanel("posts_per_page")]

    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.BlogPage"]
    max_count = 1
    public_label = "Blog"  # in search results and suggestions

    class Meta:
        verbose_name = "blog index page"

    @property
    def summary(self) -> str:
        return self.search_description or self.introduction

    # Routes -----------------------------------------------------------------------------------------------
    # blog.views and blog.feeds import blog.models, so each route imports them when it is called.

    @path("")
    def latest(self, request: HttpRequest) -> HttpResponse:
        from blog.views import render_listing

        return render_listing(self, request)

    @path("tag/<slug:tag>/")
    def tag(self, request: HttpRequest, tag: str) -> HttpResponse:
        from blog.views import render_listing

        return render_listing(self, request, tag_slug=tag)

    @re_path(r"^(?P<year>\d{4})/$")
    def archive_year(self, request: HttpRequest, year: str) -> HttpResponse:
        from blog.views import render_listing

        return render_listing(self, request, year=int(year))

    @re_path(r"^(?P<year>\d{4})/(?P<month>0[1-9]|1[0-2])/$")
    def archive_month(self, request: HttpRequest, year: str, month: str) -> HttpResponse:
        from blog.views import render_listing

        return render_listing(self, request, year=int(year), month=int(month))

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request: HttpRequest) -> HttpResponse:
        from blog.feeds import serve_feed

        return serve_feed(self, request, kind="rss")

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request: HttpRequest) -> HttpResponse:
        from blog.feeds import serve_feed

        return serve_feed(self, request, kind="atom")

    @path("tag/<slug:tag>/feed/rss/", name="tag_feed_rss")
    def tag_feed_rss(self, request: HttpRequest, tag: str) -> HttpResponse:
        from blog.feeds import serve_feed

        return serve_feed(self, request, kind="rss", tag_slug=tag)

    @path("tag/<slug:tag>/feed/atom/", name="tag_feed_atom")
    def tag_feed_atom(self, request: HttpRequest, tag: str) -> HttpResponse:
        from blog.feeds import serve_feed

        return serve_feed(self, request, kind="atom", tag_slug=tag)

    def route(self, request: HttpRequest, path_components: list[str]):
        """A post is found in one query, with its hero image, rather than Page.route's two (page, specific)."""
        if self.live and len(path_components) == 1:
            try:
                self.resolve_subpage(f"/{path_components[0]}/")
            except Http404:
                post = (
                    BlogPage.objects.child_of(self)
                    .select_related("hero_image")
                    .filter(slug=path_components[0])
                    .first()
                )
                if post is None:
                    raise Http404 from None
                give_parent(post, self)
                return post.route(request, [])
        return super().route(request, path_components)

    # URLs --------------------------------------------------------------------------------------------------

    def route_url(self, name: str, request: HttpRequest | None = None, **kwargs) -> str:
        """The relative URL of one of this index's routes, e.g. `route_url("tag", tag="sleep")`."""
        return self.get_url(request=request) + self.reverse_subpage(name, kwargs=kwargs or None)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        for entry in urls:
            entry.pop("lastmod", None)  # the index changes whenever a post does; let crawlers decide
        return urls


class BlogPage(KnownRestrictionsMixin, Page):
    """One post. Authors are snippets chosen on the post; tags are free text shared across posts."""

    date = models.DateField(
        # The practice's date (settings.TIME_ZONE), not the server's: an evening post keeps its own day.
        default=timezone.localdate,
        verbose_name="publication date",
        help_text="Shown on the post; the blog lists posts newest first by this date.",
    )
    summary = models.TextField(
        max_length=300,
        verbose_name="summary",
        help_text="One or two sentences for the blog index, feeds, search results and link previews.",
    )
    hero_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="hero image",
    )
    hero_image_decorative = models.BooleanField(
        default=False,
        verbose_name="decorative image",
        help_text="Tick if the image is only decoration: screen readers skip it. Otherwise they read the "
        "image's own description.",
    )
    body = StreamField(BaseStreamBlock(), verbose_name="body")
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True, verbose_name="tags")
    authors = ParentalManyToManyField("blog.Author", related_name="posts", verbose_name="authors")
    email_subscribers = models.BooleanField(
        default=True,
        verbose_name="email this post to subscribers",
        help_text="Untick before publishing to keep this post out of subscribers' email. A post is emailed "
        "once, the first time it goes live; publishing it again never sends it again.",
    )
    reading_time = models.PositiveSmallIntegerField(
        default=1,
        editable=False,
        verbose_name="reading time in minutes",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                EmailSubscribersPanel(),
            ],
            heading="About this post",
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_decorative")], heading="Hero image"
        ),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    base_form_class = BlogPageForm

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types: list[str] = []
    public_label = "Article"  # in search results and suggestions

    class Meta:
        verbose_name = "blog post"
        verbose_name_plural = "blog posts"
        # Every listing and feed shows the newest posts first: read in date order from here, a page of them costs
        # the same at ten thousand posts as at ten, instead of sorting them all.
        indexes = [models.Index(fields=["date"], name="blog_post_date_idx")]

    def save(self, *args, **kwargs):
        self.reading_time = self.compute_reading_time()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "reading_time"}
        return super().save(*args, **kwargs)

    def compute_reading_time(self) -> int:
        """Whole minutes at 200 words a minute, never less than one: text of every block, images excluded."""
        texts = self.body.stream_block.get_searchable_content(self.body) if self.body else []
        words = sum(len(str(text).split()) for text in texts)
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # publish_scheduled takes an expired post down within a minute; until then it is already gone.
        if self.is_expired() and not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from blog.queries import post_with_related  # blog.queries imports blog.models

        context = super().get_context(request, *args, **kwargs)
        context["blog_index"] = self.blog_index
        context["related_posts"] = post_with_related(self)
        return context

    @cached_property
    def blog_index(self) -> BlogIndexPage | None:
        """The parent index: the one routing came through, else one query (get_parent().specific takes two)."""
        parent = given_parent(self)
        if isinstance(parent, BlogIndexPage):
            return parent
        return BlogIndexPage.objects.filter(path=self.path[: -self.steplen]).first()

    # Helpers used by templates, feeds and JSON-LD -----------------------------------------------------------

    @property
    def hero_alt_text(self) -> str:
        """The hero image's alt text: its own description, or empty when the post marks it decorative."""
        return image_alt_text(self.hero_image, decorative=self.hero_image_decorative)

    def is_expired(self) -> bool:
        return bool(self.expire_at and self.expire_at <= timezone.now())

    @property
    def published_at(self) -> datetime:
        """The publication date as an aware datetime: the first publication's time if it fell on that day."""
        first = self.first_published_at
        if first and timezone.localdate(first) == self.date:
            return first
        return timezone.make_aware(datetime.combine(self.date, time(9, 0)))

    @property
    def updated_at(self) -> datetime:
        return max(filter(None, [self.last_published_at, self.published_at]))

    def get_sitemap_urls(self, request=None):
        return [{"location": self.get_full_url(request), "lastmod": self.updated_at}]
