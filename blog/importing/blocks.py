"""Turn a post's (sanitized) HTML into the blog's StreamField blocks.

Paragraphs and lists become paragraph blocks (consecutive ones share a block, as an editor would write them),
`<h1>`-`<h6>` headings, `<blockquote>` quotes, `<img>` and `<figure>` images (fetched later, see
`blog.importing.images`), and video iframes or a video link alone on its line embeds. Only the elements and
attributes the paragraph block's rich text allows are built (bold, italic, links, lists, line breaks); everything
else is reduced to its text. Limits are read from the blocks themselves (a heading's maximum length), so a
change to `home.blocks` is followed here.

Images are left as `ImageReference`s: whether one becomes an image block or a link depends on fetching it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from wagtail.blocks import StreamBlock
from wagtail.embeds.finders import get_finders

from blog.importing.sanitize import Sanitized, sanitize

WHITESPACE = re.compile(r"\s+")
BLOCK_ELEMENTS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center", "address",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl", "figure", "img", "iframe", "table",
    "pre", "hr", "video", "audio",
}  # fmt: skip
CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "center",
    "address",
    "dl",
}
BOLD = {"b", "strong"}
ITALIC = {"i", "em", "cite", "q", "dfn"}
LINK_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class ImageReference:
    """An image the post shows, by its address on the old site; `alt_text` as the old site gave it."""

    url: str
    alt_text: str = ""
    caption: str = ""


@dataclass
class ConvertedBody:
    """The blocks in order as (block type, value); image values are `ImageReference`s until fetched."""

    blocks: list[tuple[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def images(self) -> list[ImageReference]:
        return [value for kind, value in self.blocks if isinstance(value, ImageReference)]

    def first_paragraph_text(self) -> str:
        for kind, value in self.blocks:
            if kind == "paragraph":
                first = BeautifulSoup(str(value), "html.parser").find(["p", "li"])
                if first is not None and first.get_text(strip=True):
                    return first.get_text(" ", strip=True)
        return ""


def _text(node: Tag | NavigableString) -> str:
    return WHITESPACE.sub(" ", node.get_text(" ") if isinstance(node, Tag) else str(node)).strip()


def _max_length(stream_block: StreamBlock, block: str, child: str) -> int | None:
    try:
        return stream_block.child_blocks[block].child_blocks[child].field.max_length
    except (KeyError, AttributeError):
        return None


def embed_url(src: str) -> str:
    """The page address of a player iframe (YouTube's /embed/ID is the video at watch?v=ID)."""
    parts = urlsplit(src if "//" not in src[:2] else "https:" + src)
    host = (parts.hostname or "").removeprefix("www.")
    if host in ("youtube.com", "youtube-nocookie.com") and parts.path.startswith("/embed/"):
        return f"https://www.youtube.com/watch?v={parts.path.split('/')[2]}"
    if host == "player.vimeo.com" and parts.path.startswith("/video/"):
        return f"https://vimeo.com/{parts.path.split('/')[2]}"
    if host == "youtube.com" and parts.path == "/watch" and "v" in parse_qs(parts.query):
        return f"https://www.youtube.com/watch?v={parse_qs(parts.query)['v'][0]}"
    return parts.geturl()


def is_embeddable(url: str) -> bool:
    """Whether one of the site's embed finders (WAGTAILEMBEDS_FINDERS) recognises the address."""
    return url.startswith(("http://", "https://")) and any(finder.accept(url) for finder in get_finders())


class _Converter:
    def __init__(self, *, base_url: str, stream_block: StreamBlock) -> None:
        self.base_url = base_url
        self.stream_block = stream_block
        self.heading_limit = _max_length(stream_block, "heading", "text")
        self.quote_limit = _max_length(stream_block, "quote", "quote")
        self.body = ConvertedBody()
        self.rich: list[str] = []
        self.inline: list[str] = []

    # Output ------------------------------------------------------------------------------------------------

    def flush_inline(self) -> None:
        markup = "".join(self.inline).strip()
        self.inline = []
        while markup.startswith("<br/>"):
            markup = markup.removeprefix("<br/>").lstrip()
        while markup.endswith("<br/>"):
            markup = markup.removesuffix("<br/>").rstrip()
        if not markup:
            return
        lone_url = re.fullmatch(r'(?:<a href="([^"]+)">)?([^<\s]+)(?:</a>)?', markup)
        if (
            lone_url
            and lone_url.group(2).startswith("http")
            and lone_url.group(1) in (None, lone_url.group(2))
        ):
            url = embed_url(lone_url.group(2).replace("&amp;", "&"))
            if "embed" in self.stream_block.child_blocks and is_embeddable(url):
                self.add_block("embed", url)
                return
        self.rich.append(f"<p>{markup}</p>")

    def flush_rich(self) -> None:
        self.flush_inline()
        if self.rich:
            self.body.blocks.append(("paragraph", "".join(self.rich)))
            self.rich = []

    def add_block(self, kind: str, value: object) -> None:
        self.flush_rich()
        self.body.blocks.append((kind, value))

    def add_link_paragraph(self, url: str, label: str) -> None:
        self.flush_inline()
        self.rich.append(f'<p><a href="{escape(url)}">{escape(label)}</a></p>')

    # Reading -----------------------------------------------------------------------------------------------

    def absolute(self, url: str) -> str:
        return urljoin(self.base_url, url.strip()) if self.base_url else url.strip()

    def safe_href(self, url: str | None) -> str | None:
        if not url:
            return None
        url = self.absolute(url)
        return url if urlsplit(url).scheme in LINK_SCHEMES else None

    def inline_html(self, node: Tag | NavigableString) -> str:
        if isinstance(node, NavigableString):
            return escape(WHITESPACE.sub(" ", str(node)), quote=False)
        if node.name == "br":
            return "<br/>"
        inner = "".join(self.inline_html(child) for child in node.children)
        if not inner.strip():
            return inner
        if node.name in BOLD:
            return f"<b>{inner}</b>"
        if node.name in ITALIC:
            return f"<i>{inner}</i>"
        if node.name == "a":
            href = self.safe_href(node.get("href"))
            return f'<a href="{escape(href)}">{inner}</a>' if href else inner
        return inner

    def walk(self, node: Tag | NavigableString) -> None:
        if isinstance(node, NavigableString):
            if str(node).strip() or self.inline:
                self.inline.append(self.inline_html(node))
            return
        name = node.name
        if name not in BLOCK_ELEMENTS and not node.find(BLOCK_ELEMENTS):
            self.inline.append(self.inline_html(node))
        elif name in ("p", *CONTAINERS):
            self.flush_inline()
            self.walk_children(node)
            self.flush_inline()
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(node)
        elif name == "blockquote":
            self.quote(node)
        elif name in ("ul", "ol"):
            self.flush_inline()
            self.rich.append(self.list_html(node))
        elif name == "img":
            self.image(node, caption="")
        elif name == "figure":
            self.figure(node)
        elif name == "iframe":
            self.iframe(node)
        elif name == "table":
            self.table(node)
        elif name == "pre":
            self.flush_inline()
            lines = [escape(line) for line in node.get_text().strip("\n").split("\n")]
            self.rich.append("<p>" + "<br/>".join(lines) + "</p>")
        elif name in ("video", "audio"):
            self.media(node)
        elif name == "hr":
            self.flush_inline()
        else:
            self.walk_children(node)

    def walk_children(self, node: Tag) -> None:
        for child in list(node.children):
            self.walk(child)

    def heading(self, node: Tag) -> None:
        text = _text(node)
        if not text:
            return
        if self.heading_limit and len(text) > self.heading_limit:
            self.flush_inline()
            self.rich.append(f"<p><b>{escape(text)}</b></p>")
            return
        self.add_block("heading", {"text": text, "level": "h2" if node.name in ("h1", "h2") else "h3"})
        for image in node.find_all("img"):
            self.image(image, caption="")

    def quote(self, node: Tag) -> None:
        cite = node.find(["cite", "footer"])
        attribution = _text(cite) if cite else ""
        if cite:
            cite.extract()
        if node.find(["img", "iframe"]) or (node.get("class") and node.find("a")):
            self.walk_children(node)  # a social-media embed's fallback: keep its text and link
            return
        parts = [_text(part) for part in node.find_all(["p", "li"])] or [_text(node)]
        quote = "\n\n".join(part for part in parts if part)
        if not quote:
            return
        if self.quote_limit and len(quote) > self.quote_limit:
            self.flush_inline()
            self.rich.extend(f"<p><i>{escape(part)}</i></p>" for part in parts if part)
            return
        value = {"quote": quote, "attribution": attribution.lstrip("—–- ")}
        self.add_block("quote", value)

    def list_html(self, node: Tag) -> str:
        items = []
        for item in node.find_all("li", recursive=False):
            nested = [child.extract() for child in item.find_all(["ul", "ol"])]
            markup = "".join(self.inline_html(child) for child in item.children).strip()
            if markup:
                items.append(f"<li>{markup}</li>")
            for sublist in nested:
                items.extend(re.findall(r"<li>.*?</li>", self.list_html(sublist)))
        tag = "ol" if node.name == "ol" else "ul"
        return f"<{tag}>{''.join(items)}</{tag}>" if items else ""

    def image(self, node: Tag, *, caption: str) -> None:
        src = node.get("src") or node.get("data-src") or ""
        url = self.absolute(src) if src else ""
        if not url.startswith(("http://", "https://")):
            self.body.warnings.append("An image without a usable address was left out.")
            return
        alt = WHITESPACE.sub(" ", node.get("alt") or "").strip()
        self.add_block("image", ImageReference(url=url, alt_text=alt, caption=caption))

    def figure(self, node: Tag) -> None:
        caption_node = node.find("figcaption")
        caption = _text(caption_node) if caption_node else ""
        if caption_node:
            caption_node.extract()
        image, frame = node.find("img"), node.find("iframe")
        if image is not None and frame is None:
            self.image(image, caption=caption)
        elif frame is not None:
            self.iframe(frame)
        else:
            self.flush_inline()
            self.walk_children(node)
            self.flush_inline()

    def iframe(self, node: Tag) -> None:
        src = self.absolute(node.get("src") or "")
        if not src:
            return
        url = embed_url(src)
        if "embed" in self.stream_block.child_blocks and is_embeddable(url):
            self.add_block("embed", url)
        else:
            self.body.warnings.append(f"Embedded content from {urlsplit(url).hostname} was kept as a link.")
            self.add_link_paragraph(url, node.get("title") or "Embedded content")

    def media(self, node: Tag) -> None:
        source = node.get("src") or (node.find("source") or {}).get("src")
        if source:
            url = self.absolute(source)
            self.body.warnings.append(f"A {node.name} file was kept as a link: {url}")
            self.add_link_paragraph(
                url, f"Listen to the {node.name}" if node.name == "audio" else "Watch the video"
            )

    def table(self, node: Tag) -> None:
        self.flush_inline()
        for row in node.find_all("tr"):
            cells = [_text(cell) for cell in row.find_all(["th", "td"])]
            if any(cells):
                self.rich.append("<p>" + escape(" · ".join(cell for cell in cells if cell)) + "</p>")
        self.body.warnings.append("A table was turned into plain lines of text.")


def html_to_blocks(html: str, *, base_url: str, stream_block: StreamBlock) -> tuple[ConvertedBody, Sanitized]:
    """The blocks of `html`, and what the sanitizer removed from it."""
    sanitized = sanitize(html)
    converter = _Converter(base_url=base_url, stream_block=stream_block)
    converter.walk_children(sanitized.soup)
    converter.flush_rich()
    return converter.body, sanitized
