"""Make a WordPress post's stored content into ordinary HTML, as WordPress itself does when it shows the post.

A WordPress export holds the text as typed in the editor: paragraphs separated by blank lines rather than `<p>`
(WordPress adds them on display, "wpautop"), shortcodes such as `[caption]` and `[embed]`, and the block
editor's `<!-- wp:... -->` comments. Captions become `<figure>`, embeds a bare link on its own line (which the
block converter turns into an embed), and other shortcodes are removed, each named in the report.
"""

from __future__ import annotations

import re

COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
CAPTION_PARTS = re.compile(r"^\s*((?:<a[^>]*>\s*)?<img[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
ENCLOSING_SHORTCODE = re.compile(r"\[([a-z][\w-]*)(?:\s[^\]]*)?\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
SINGLE_SHORTCODE = re.compile(r"\[([a-z][\w-]*)(\s[^\]]*)?/?\]", re.IGNORECASE)
BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|figure|table|pre|hr|iframe|section|img|dl)\b", re.IGNORECASE
)
KNOWN_SHORTCODES = {"caption", "embed"}
# Shortcodes WordPress ships that are often written without attributes. Other bracketed words without
# attributes ("[sic]") are text, as WordPress leaves unregistered ones.
BARE_SHORTCODES = {"gallery", "audio", "video", "playlist", "wp_caption", "more", "nextpage"}


def _caption(match: re.Match) -> str:
    parts = CAPTION_PARTS.match(match.group(1))
    if not parts:
        return match.group(1)
    return f"<figure>{parts.group(1)}<figcaption>{parts.group(2).strip()}</figcaption></figure>"


def prepare_wordpress_content(content: str) -> tuple[str, list[str]]:
    """The content as HTML, and the names of the shortcodes that were removed."""
    removed: list[str] = []

    def drop_enclosing(match: re.Match) -> str:
        removed.append(match.group(1).lower())
        return match.group(2)

    def drop_single(match: re.Match) -> str:
        name = match.group(1).lower()
        if not match.group(2) and name not in BARE_SHORTCODES:
            return match.group(0)
        removed.append(name)
        return ""

    content = COMMENT.sub("", content.replace("\r\n", "\n"))
    content = CAPTION.sub(_caption, content)
    content = EMBED.sub(lambda match: f"\n\n{match.group(1).strip()}\n\n", content)
    content = ENCLOSING_SHORTCODE.sub(drop_enclosing, content)
    content = SINGLE_SHORTCODE.sub(drop_single, content)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", content):
        chunk = chunk.strip()
        if not chunk:
            continue
        paragraphs.append(chunk if BLOCK_START.match(chunk) else "<p>" + chunk.replace("\n", "<br>") + "</p>")
    return "\n".join(paragraphs), sorted(set(removed) - KNOWN_SHORTCODES)
