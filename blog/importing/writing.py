"""Write one planned item: its images, the post and its revision, the redirect and the import record.

Images are downloaded first, outside any transaction (a slow server must not hold the database). Everything
else for the item happens in one transaction, so a failure leaves no half-imported post; image files stored in a
transaction that failed are deleted again. The post is saved as a revision like any edit in the admin, and
published only when the plan says so; after that it is an ordinary post in the editorial workflow.
"""

from __future__ import annotations

import logging
import uuid
from html import escape

from django.db import transaction
from wagtail.images.models import AbstractImage
from wagtail.log_actions import log
from wagtail.models import Site

from blog.importing.blocks import ImageReference
from blog.importing.images import (
    DownloadedImage,
    ImageUnavailable,
    TrackingPixel,
    download_image,
    store_image,
)
from blog.importing.limits import ImportLimits
from blog.importing.planning import PlannedItem
from blog.importing.redirects import redirect_old_address
from blog.importing.report import ItemReport, Outcome
from blog.models import BlogIndexPage, BlogPage, ImportedPost
from home.blocks import describe_image

logger = logging.getLogger(__name__)


class ImageCache:
    """Each address is downloaded once per run, however many posts show it."""

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.results: dict[str, DownloadedImage | ImageUnavailable] = {}

    def get(self, url: str) -> DownloadedImage | ImageUnavailable:
        if url not in self.results:
            try:
                self.results[url] = download_image(url, limits=self.limits)
            except ImageUnavailable as error:
                self.results[url] = error
        return self.results[url]


class ItemWriter:
    def __init__(self, *, index: BlogIndexPage, user, images: ImageCache) -> None:
        self.index = index
        self.user = user
        self.images = images
        self.site: Site | None = index.get_site()
        self.stream_block = BlogPage._meta.get_field("body").stream_block

    def write(self, planned: PlannedItem) -> ItemReport:
        report = ItemReport(
            label=planned.label,
            outcome=planned.outcome,
            reason=planned.reason,
            warnings=list(planned.warnings),
        )
        downloads = {reference.url: self.images.get(reference.url) for reference in planned.body.images}
        if planned.item.featured_image:
            downloads[planned.item.featured_image.url] = self.images.get(planned.item.featured_image.url)
        stored_now = []
        try:
            with transaction.atomic():
                page = self.save_post(planned, downloads, report, stored_now)
        except Exception as error:
            logger.exception("Blog import: an item could not be saved")
            for image in stored_now:
                image.file.delete(save=False)
            report.outcome = Outcome.FAILED
            report.reason = (
                f"It could not be saved, and nothing of it was kept ({type(error).__name__}: {error})."
            )
            return report
        report.page_id, report.address, report.published = page.pk, page.url or "", page.live
        return report

    # Inside the item's transaction ----------------------------------------------------------------------------

    def library_image(
        self,
        url: str,
        alt_text: str,
        downloads: dict,
        report: ItemReport,
        stored_now: list,
        *,
        title: str = "",
    ):
        """The library's image for `url`, described with `alt_text` if it has no description yet (the image
        block and the hero read their alt text from it); None if the download failed (reported) or found a
        tracking pixel (dropped). `title` names a new image in the library when there is no alt text."""
        result = downloads.get(url)
        if isinstance(result, TrackingPixel):
            return None
        if isinstance(result, ImageUnavailable) or result is None:
            report.warnings.append(f"An image was kept as a link to the old blog: {result}")
            return None
        image, created = store_image(result, title=alt_text or title)
        if created:
            stored_now.append(image)
        describe_image(image, alt_text)
        return image

    def stream_data(
        self, planned: PlannedItem, downloads: dict, report: ItemReport, stored_now: list
    ) -> list:
        data = []
        for kind, value in planned.body.blocks:
            if isinstance(value, ImageReference):
                image = self.library_image(
                    value.url, value.alt_text, downloads, report, stored_now, title=planned.title
                )
                if image is None:
                    if not isinstance(downloads.get(value.url), TrackingPixel):
                        label = escape(value.alt_text or "An image from the old blog")
                        link = f'<p><a href="{escape(value.url)}">{label}</a></p>'
                        data.append({"type": "paragraph", "value": link, "id": str(uuid.uuid4())})
                    continue
                kind, value = "image", self.image_value(image, value)
            data.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
        return data

    def image_value(self, image: AbstractImage, reference: ImageReference) -> dict:
        """The image block's stored value, in whatever shape `home.blocks` gives that block today.

        The alt text is the image's description; the block keeps its own words only when they differ from it.
        """
        alt_text = "" if reference.alt_text == image.description.strip() else reference.alt_text
        candidate = {
            "image": image.pk,
            "alt_text": alt_text,
            "decorative": False,
            "caption": reference.caption,
        }
        children = self.stream_block.child_blocks["image"].child_blocks
        return {name: candidate[name] for name in children if name in candidate}

    def save_post(
        self, planned: PlannedItem, downloads: dict, report: ItemReport, stored_now: list
    ) -> BlogPage:
        body = self.stream_data(planned, downloads, report, stored_now)
        featured = planned.item.featured_image
        hero = None
        if featured:
            hero = self.library_image(
                featured.url, featured.alt_text, downloads, report, stored_now, title=planned.title
            )
        if planned.record is None:
            # An imported post was news on the old blog: subscribers are not mailed it, even when the counselor
            # publishes it later; she may tick the box on the post to mail it.
            page = BlogPage(
                live=False,
                owner=self.user if self.user and self.user.is_authenticated else None,
                email_subscribers=False,
            )
        else:
            page = planned.record.page.get_latest_revision_as_object()
        page.title, page.draft_title, page.slug = planned.title, planned.title, planned.slug
        page.date, page.summary, page.body = planned.date, planned.summary, body
        page.hero_image = hero
        page.authors = planned.authors
        page.tags.clear()
        page.tags.add(*planned.tags)
        if planned.record is None:
            page.has_unpublished_changes = True
            if planned.publish:
                page.first_published_at = planned.item.published  # the post keeps its original date in feeds
            self.index.add_child(instance=page)
            log(instance=page, action="wagtail.create", user=self.user)
        revision = page.save_revision(user=self.user, log_action=True)
        if planned.publish:
            revision.publish(user=self.user)
            page.refresh_from_db()
        warning = redirect_old_address(link=planned.item.link, page=page, site=self.site)
        if warning:
            report.warnings.append(warning)
        record = planned.record or ImportedPost(guid=planned.item.guid, link=planned.item.link)
        record.page, record.revision, record.content_hash = page, revision, planned.content_hash
        record.link = planned.item.link
        record.save()
        return page
