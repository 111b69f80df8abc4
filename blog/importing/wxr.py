"""Read a WordPress export (WXR, "WordPress eXtended RSS", versions 1.0 to 1.2) into `SourceItem`s.

Squarespace, Wix and Blogger's WordPress exports have the same shape. Posts become items; pages, attachments and
menu entries come through as items of their own kind so the report can say they were left out. Attachments also
give each post its featured image (the `_thumbnail_id` meta names one) with its alt text.
"""

from __future__ import annotations

from urllib.parse import unquote
from xml.etree.ElementTree import Element  # noqa: S405 - a type only; parsing is defusedxml  # nosec B405

from blog.importing.dates import parse_iso, parse_rfc822
from blog.importing.items import ParsedSource, SourceImage, SourceItem
from blog.importing.safexml import local_name, namespace, text_of

WORDPRESS_NAMESPACE = "http://wordpress.org/export/"
PUBLIC_STATUSES = {"publish"}
DRAFT_STATUSES = {"draft", "pending", "future", "private"}
KINDS = {"post": "post", "page": "page", "attachment": "attachment"}


def is_wxr(root: Element) -> bool:
    """A WordPress export is RSS with WordPress's export namespace on its channel or items."""
    return local_name(root) == "rss" and any(_is_wordpress(element) for element in root.iter())


def _is_wordpress(element: Element) -> bool:
    uri = namespace(element)
    return uri.startswith(WORDPRESS_NAMESPACE) and "/excerpt/" not in uri


def _child(element: Element, name: str, *, kind: str = "") -> Element | None:
    """The first child called `name` in the namespace family `kind` ("wp", "excerpt", "content", "dc" or "")."""
    for child in element:
        if local_name(child) == name and _kind(child) == kind:
            return child
    return None


def _kind(element: Element) -> str:
    uri = namespace(element)
    if not uri:
        return ""
    if "/excerpt/" in uri:
        return "excerpt"
    if uri.startswith(WORDPRESS_NAMESPACE):
        return "wp"
    if uri.startswith("http://purl.org/rss/1.0/modules/content"):
        return "content"
    if uri.startswith("http://purl.org/dc/elements/1.1"):
        return "dc"
    return uri


def _postmeta(item: Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for child in item:
        if local_name(child) == "postmeta" and _kind(child) == "wp":
            meta[text_of(_child(child, "meta_key", kind="wp"))] = text_of(
                _child(child, "meta_value", kind="wp")
            )
    return meta


def _authors(channel: Element) -> dict[str, str]:
    """Login name to display name, from the export's author list."""
    authors: dict[str, str] = {}
    for child in channel:
        if local_name(child) == "author" and _kind(child) == "wp":
            login = text_of(_child(child, "author_login", kind="wp"))
            authors[login] = text_of(_child(child, "author_display_name", kind="wp")) or login
    return authors


def _status(raw: str) -> str:
    if raw in PUBLIC_STATUSES:
        return "publish"
    if raw in DRAFT_STATUSES:
        return "draft"
    return "trash"


def read_wxr(root: Element) -> ParsedSource:
    channel = _child(root, "channel")
    if channel is None:
        return ParsedSource(format_name="WordPress export", site_url="", items=[])
    site_url = text_of(_child(channel, "base_blog_url", kind="wp")) or text_of(_child(channel, "link"))
    authors = _authors(channel)
    raw_items = [child for child in channel if local_name(child) == "item"]

    attachments: dict[str, SourceImage] = {}
    for element in raw_items:
        if text_of(_child(element, "post_type", kind="wp")) == "attachment":
            url = text_of(_child(element, "attachment_url", kind="wp"))
            alt = _postmeta(element).get("_wp_attachment_image_alt", "")
            attachments[text_of(_child(element, "post_id", kind="wp"))] = SourceImage(url=url, alt_text=alt)

    items = []
    for position, element in enumerate(raw_items, start=1):
        post_type = text_of(_child(element, "post_type", kind="wp")) or "post"
        meta = _postmeta(element)
        creator = text_of(_child(element, "creator", kind="dc"))
        # A draft has no GMT date ("0000-00-00 00:00:00") and a nonsense pubDate ("30 Nov -0001"); its
        # post_date is the blog's local time, read in the practice's time zone.
        published = (
            parse_iso(text_of(_child(element, "post_date_gmt", kind="wp")))
            or parse_iso(text_of(_child(element, "post_date", kind="wp")), assume_local=True)
            or parse_rfc822(text_of(_child(element, "pubDate")))
        )
        tags = [
            text_of(category)
            for category in element
            if local_name(category) == "category"
            and category.get("domain") in ("category", "post_tag")
            and text_of(category)
            and category.get("nicename") != "uncategorized"
        ]
        items.append(
            SourceItem(
                position=position,
                title=text_of(_child(element, "title")),
                guid=text_of(_child(element, "guid")),
                link=text_of(_child(element, "link")),
                slug=unquote(text_of(_child(element, "post_name", kind="wp"))),
                published=published,
                summary_html=text_of(_child(element, "encoded", kind="excerpt")),
                content_html=text_of(_child(element, "encoded", kind="content")),
                content_is_raw_wordpress=True,
                tags=tags,
                author=authors.get(creator, creator),
                kind=KINDS.get(post_type, post_type),
                status=_status(text_of(_child(element, "status", kind="wp")) or "publish"),
                featured_image=attachments.get(meta.get("_thumbnail_id", "")),
            )
        )
    return ParsedSource(format_name="WordPress export", site_url=site_url, items=items)
