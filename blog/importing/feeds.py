"""Read an RSS 2.0 or Atom feed into `SourceItem`s.

RSS: the full post is `content:encoded` when present, else `description`; the summary is `description` when the
full post is elsewhere. Atom: `content` (text, html or xhtml) and `summary`. Categories become tags; an image
enclosure or `media:content` becomes the featured image. Relative links resolve against the feed's own link.
"""

from __future__ import annotations

import copy
import html
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, tostring  # noqa: S405 - types and serializing a defusedxml tree  # nosec B405

from bs4 import BeautifulSoup

from blog.importing.dates import parse_iso, parse_rfc822
from blog.importing.items import ParsedSource, SourceImage, SourceItem
from blog.importing.safexml import local_name, namespace, text_of

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
XHTML = "http://www.w3.org/1999/xhtml"


def _child(element: Element, name: str, uri: str = "") -> Element | None:
    for child in element:
        if local_name(child) == name and namespace(child) == uri:
            return child
    return None


def _children(element: Element, name: str, uri: str = "") -> list[Element]:
    return [child for child in element if local_name(child) == name and namespace(child) == uri]


def is_rss(root: Element) -> bool:
    return local_name(root) == "rss" and not namespace(root)


def is_atom(root: Element) -> bool:
    return local_name(root) == "feed" and namespace(root) == ATOM


def read_rss(root: Element) -> ParsedSource:
    channel = _child(root, "channel")
    if channel is None:
        return ParsedSource(format_name="RSS feed", site_url="", items=[])
    site_url = text_of(_child(channel, "link"))
    items = []
    for position, element in enumerate(_children(channel, "item"), start=1):
        description = text_of(_child(element, "description"))
        encoded = text_of(_child(element, "encoded", CONTENT))
        link = (
            urljoin(site_url, text_of(_child(element, "link"))) if _child(element, "link") is not None else ""
        )
        items.append(
            SourceItem(
                position=position,
                title=html.unescape(text_of(_child(element, "title"))),
                guid=text_of(_child(element, "guid")),
                link=link,
                published=parse_rfc822(text_of(_child(element, "pubDate")))
                or parse_iso(text_of(_child(element, "date", DUBLIN_CORE))),
                summary_html=description if encoded else "",
                content_html=encoded or description,
                tags=[text_of(category) for category in _children(element, "category") if text_of(category)],
                author=text_of(_child(element, "creator", DUBLIN_CORE)) or text_of(_child(element, "author")),
                featured_image=_rss_image(element, link),
            )
        )
    return ParsedSource(format_name="RSS feed", site_url=site_url, items=items)


def _rss_image(element: Element, base: str) -> SourceImage | None:
    for candidate in [*_children(element, "enclosure"), *_children(element, "content", MEDIA)]:
        if (candidate.get("type") or "image/").startswith("image/") and candidate.get("url"):
            return SourceImage(url=urljoin(base, candidate.get("url", "")))
    return None


def _atom_text(element: Element | None) -> str:
    """The HTML of an Atom text construct: escaped for type="text", as is for "html", serialized for "xhtml"."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        container = _child(element, "div", XHTML)
        if container is None:
            return ""
        container = copy.deepcopy(container)
        for descendant in container.iter():
            descendant.tag = local_name(descendant)
        parts = [html.escape(container.text or "", quote=False)]
        parts.extend(tostring(child, encoding="unicode", method="html") for child in container)
        return "".join(parts).strip()
    text = text_of(element)
    return text if kind == "html" else html.escape(text)


def _atom_link(element: Element) -> str:
    for link in _children(element, "link", ATOM):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return ""


def read_atom(root: Element) -> ParsedSource:
    site_url = _atom_link(root)
    feed_author_element = _child(root, "author", ATOM)
    feed_author = (
        text_of(_child(feed_author_element, "name", ATOM)) if feed_author_element is not None else ""
    )
    items = []
    for position, element in enumerate(_children(root, "entry", ATOM), start=1):
        link = urljoin(site_url, _atom_link(element))
        author = _child(element, "author", ATOM)
        title_element = _child(element, "title", ATOM)
        title = html.unescape(_strip_tags(_atom_text(title_element))) if title_element is not None else ""
        enclosure = next(
            (
                link_element.get("href", "")
                for link_element in _children(element, "link", ATOM)
                if link_element.get("rel") == "enclosure"
                and link_element.get("type", "").startswith("image/")
                and link_element.get("href")
            ),
            "",
        )
        items.append(
            SourceItem(
                position=position,
                title=title,
                guid=text_of(_child(element, "id", ATOM)),
                link=link,
                published=parse_iso(text_of(_child(element, "published", ATOM)))
                or parse_iso(text_of(_child(element, "updated", ATOM))),
                summary_html=_atom_text(_child(element, "summary", ATOM)),
                content_html=_atom_text(_child(element, "content", ATOM)),
                tags=[
                    category.get("label") or category.get("term", "")
                    for category in _children(element, "category", ATOM)
                    if category.get("label") or category.get("term")
                ],
                author=text_of(_child(author, "name", ATOM)) if author is not None else feed_author,
                featured_image=SourceImage(url=urljoin(link, enclosure)) if enclosure else None,
            )
        )
    return ParsedSource(format_name="Atom feed", site_url=site_url, items=items)


def _strip_tags(markup: str) -> str:
    return BeautifulSoup(markup, "html.parser").get_text(" ", strip=True)
