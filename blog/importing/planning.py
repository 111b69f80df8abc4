"""Decide, before anything is written, what happens to each item of a source and why.

Planning reads the database but never writes to it; a dry run is a plan shown to the person. For each item it
decides skip (with the reason), create or update, and prepares everything a post needs (title, address, date,
summary, tags, authors, blocks), validating the text blocks against the blog's StreamField so that writing
cannot fail half-way on content. Items are matched to earlier imports by GUID, else by link.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from blog.importing.blocks import ConvertedBody, html_to_blocks
from blog.importing.items import ParsedSource, SourceItem
from blog.importing.report import Outcome, count_of
from blog.importing.wordpress_content import prepare_wordpress_content
from blog.models import Author, BlogIndexPage, BlogPage, ImportedPost

TITLE_LIMIT = BlogPage._meta.get_field("title").max_length
SLUG_LIMIT = BlogPage._meta.get_field("slug").max_length
SUMMARY_LIMIT = BlogPage._meta.get_field("summary").max_length
TAG_LIMIT = Tag._meta.get_field("name").max_length
IDENTITY_LIMIT = ImportedPost._meta.get_field("guid").max_length
SKIPPED_KINDS = {
    "page": "A WordPress page, not a blog post. Add it to the site as a page by hand if you still need it.",
    "attachment": "A media file. Images are brought in with the posts that show them.",
}


@dataclass(frozen=True)
class ImportOptions:
    publish: bool = False
    author: Author | None = None


@dataclass
class PlannedItem:
    item: SourceItem
    outcome: Outcome
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    title: str = ""
    slug: str = ""
    date: datetime.date | None = None
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    body: ConvertedBody | None = None
    publish: bool = False
    content_hash: str = ""
    record: ImportedPost | None = None

    @property
    def label(self) -> str:
        return self.title or self.item.label


def content_hash(item: SourceItem) -> str:
    """A fingerprint of everything the import takes from an item: equal fingerprints, nothing to update."""
    fields = [
        item.title,
        item.slug,
        item.published.isoformat() if item.published else "",
        item.summary_html,
        item.content_html,
        sorted(item.tags),
        item.author,
        item.status,
        item.featured_image.url if item.featured_image else "",
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def plain_text(markup: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(markup, "html.parser").get_text(" ")).strip()


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to fit `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


class Planner:
    """Plans one source into one blog index. A new Planner per run: it remembers the addresses it handed out."""

    def __init__(self, *, index: BlogIndexPage, options: ImportOptions, site_url: str) -> None:
        self.index = index
        self.options = options
        self.site_url = site_url
        self.stream_block = BlogPage._meta.get_field("body").stream_block
        self.taken_slugs = set(index.get_children().values_list("slug", flat=True))
        self.seen_identities: set[str] = set()
        self.authors = list(Author.objects.all())

    def plan(self, parsed: ParsedSource) -> list[PlannedItem]:
        return [self.plan_item(item) for item in parsed.items]

    def plan_item(self, item: SourceItem) -> PlannedItem:
        skip_reason = self.skip_reason(item)
        if skip_reason:
            return PlannedItem(item=item, outcome=Outcome.SKIPPED, reason=skip_reason)
        identities = {value for value in (item.guid, item.link) if value}
        self.seen_identities |= identities
        planned = PlannedItem(item=item, outcome=Outcome.CREATED, content_hash=content_hash(item))
        record = self.find_record(item)
        if record is not None:
            planned.record = record
            reason = self.reason_to_leave(record, planned.content_hash)
            if reason:
                planned.outcome, planned.reason = Outcome.SKIPPED, reason
                return planned
            planned.outcome = Outcome.UPDATED
            planned.reason = "Changed on the old blog since the last import."
        self.prepare(planned)
        return planned

    # Deciding ----------------------------------------------------------------------------------------------

    def skip_reason(self, item: SourceItem) -> str:
        if item.kind != "post":
            return SKIPPED_KINDS.get(item.kind, f"A WordPress “{item.kind}” entry, not a blog post.")
        if item.status == "trash":
            return "It is in the old blog's trash (or was never finished)."
        if not item.title.strip():
            return "It has no title. Give it one on the old blog and import again."
        if not item.identity:
            return "It has neither a GUID nor a link, so a later import could not recognise it."
        if len(item.guid) > IDENTITY_LIMIT or len(item.link) > IDENTITY_LIMIT:
            return f"Its GUID or link is longer than {IDENTITY_LIMIT} characters."
        if {value for value in (item.guid, item.link) if value} & self.seen_identities:
            return "It appears twice in the file (the same GUID or link); the first copy is imported."
        return ""

    def find_record(self, item: SourceItem) -> ImportedPost | None:
        match = Q(pk__in=[])
        if item.guid:
            match |= Q(guid=item.guid)
        if item.link:
            match |= Q(link=item.link)
        return ImportedPost.objects.select_related("page").filter(match).order_by("pk").first()

    @staticmethod
    def reason_to_leave(record: ImportedPost, fingerprint: str) -> str:
        if record.page is None:
            return "Imported before and deleted here since; it is not brought back."
        if record.content_hash == fingerprint:
            return "Already imported, and unchanged on the old blog."
        if record.revision_id != record.page.latest_revision_id:
            return (
                "Changed on the old blog, but the post has also been edited here since it was imported; "
                "the edits made here are kept."
            )
        return ""

    # Preparing ---------------------------------------------------------------------------------------------

    def prepare(self, planned: PlannedItem) -> None:
        item = planned.item
        planned.title = re.sub(r"\s+", " ", item.title).strip()
        if len(planned.title) > TITLE_LIMIT:
            planned.warnings.append(f"The title was shortened to {TITLE_LIMIT} characters.")
            planned.title = shorten(planned.title, TITLE_LIMIT)
        planned.slug = planned.record.page.slug if planned.record else self.new_slug(planned)
        planned.date = self.post_date(planned)
        planned.body = self.convert_body(planned)
        planned.summary = self.summary(planned)
        planned.tags = self.tags(item)
        planned.authors = self.match_authors(planned)
        planned.publish = self.options.publish and item.status == "publish"
        if self.options.publish and item.status != "publish":
            planned.warnings.append("It was not published on the old blog, so it stays a draft here.")
        undescribed = [image for image in planned.body.images if not image.alt_text]
        if item.featured_image and not item.featured_image.alt_text:
            undescribed.append(item.featured_image)
        if undescribed and planned.publish:
            planned.publish = False
            planned.warnings.append(
                f"{count_of(len(undescribed), 'image')} without a description (alt text), so the post stays a draft: "
                "add the description in the editor, then publish."
            )
        elif undescribed:
            planned.warnings.append(
                f"{count_of(len(undescribed), 'image')} to describe (alt text) before publishing."
            )
        self.validate(planned)

    def new_slug(self, planned: PlannedItem) -> str:
        allow_unicode = settings.WAGTAIL_ALLOW_UNICODE_SLUGS
        base = (
            slugify(planned.item.slug or planned.title, allow_unicode=allow_unicode)[: SLUG_LIMIT - 4]
            or "post"
        )
        slug, number = base, 2
        while slug in self.taken_slugs:
            slug, number = f"{base}-{number}", number + 1
        if slug != base:
            planned.warnings.append(f"The address “{base}” was already taken, so this post's is “{slug}”.")
        self.taken_slugs.add(slug)
        return slug

    def post_date(self, planned: PlannedItem) -> datetime.date:
        if planned.item.published is None:
            planned.warnings.append("The source gives no date for it, so today's date was used.")
            return timezone.localdate()
        return timezone.localdate(planned.item.published)

    def convert_body(self, planned: PlannedItem) -> ConvertedBody:
        content = planned.item.content_html
        if planned.item.content_is_raw_wordpress:
            content, shortcodes = prepare_wordpress_content(content)
            if shortcodes:
                planned.warnings.append(
                    "WordPress shortcodes that cannot be shown here were removed: "
                    + ", ".join(shortcodes)
                    + "."
                )
        body, sanitized = html_to_blocks(
            content, base_url=planned.item.link or self.site_url, stream_block=self.stream_block
        )
        if sanitized.removed:
            planned.warnings.append(f"Removed for safety: {sanitized.describe_removed()}.")
        planned.warnings.extend(body.warnings)
        if not body.blocks:
            planned.warnings.append("The post has no text.")
        return body

    def summary(self, planned: PlannedItem) -> str:
        text = plain_text(planned.item.summary_html) or planned.body.first_paragraph_text()
        text = re.sub(r"\s*(\[(…|&hellip;|\.\.\.)\]|Continue reading.*)$", "…", text).strip()
        if not text:
            planned.warnings.append("There was no excerpt or text for the summary, so the title is used.")
            text = planned.title
        return shorten(text, SUMMARY_LIMIT)

    @staticmethod
    def tags(item: SourceItem) -> list[str]:
        seen: dict[str, str] = {}
        for tag in item.tags:
            name = shorten(re.sub(r"\s+", " ", tag).strip(), TAG_LIMIT)
            if name:
                seen.setdefault(name.lower(), name)
        return list(seen.values())

    def match_authors(self, planned: PlannedItem) -> list[Author]:
        if self.options.author is not None:
            return [self.options.author]
        name = planned.item.author.strip().lower()
        matched = [author for author in self.authors if name and author.name.lower() == name]
        if matched:
            return matched[:1]
        if len(self.authors) == 1:
            return self.authors
        who = f"“{planned.item.author}”" if planned.item.author else "the source's author"
        planned.warnings.append(f"No author here matches {who}; choose one in the editor.")
        return []

    def validate(self, planned: PlannedItem) -> None:
        """Check the text blocks as the editor would (image and embed blocks are checked once fetched)."""
        for kind, value in planned.body.blocks:
            if kind in ("image", "embed"):
                continue
            block = self.stream_block.child_blocks[kind]
            try:
                block.clean(block.to_python(value))
            except ValidationError as error:
                planned.outcome = Outcome.SKIPPED
                planned.reason = f"Its {kind} block could not be converted: {error}"
                self.taken_slugs.discard(planned.slug)
                return
