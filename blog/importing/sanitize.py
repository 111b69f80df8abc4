"""Strip what must never come across from another blog's HTML, before it is turned into blocks.

Dropped with their content: scripts, styles, frames' fallbacks and forms, anything that runs or loads code.
Dropped from every element: inline event handlers (`onclick`, `onerror`, ...) and `style`. Links and images whose
address runs code or embeds data (`javascript:`, `data:`, `vbscript:`) lose that address. Tracking pixels (images
of 1 by 1 pixel or hidden, and images from known counters) are removed. The block converter builds only the
elements it knows, so this is the first of two filters, and the one that counts what it removed for the report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag

DROPPED_ELEMENTS = {
    "script": "script",
    "style": "style sheet",
    "noscript": "script",
    "template": "script",
    "object": "plug-in",
    "embed": "plug-in",
    "applet": "plug-in",
    "form": "form",
    "input": "form",
    "button": "form",
    "select": "form",
    "textarea": "form",
    "link": "style sheet",
    "meta": "script",
    "base": "script",
    "svg": "drawing",
    "math": "drawing",
    "frame": "frame",
    "frameset": "frame",
    "head": "script",
}
URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "action", "formaction", "data", "background")
UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
TINY_STYLE = re.compile(r"(?:^|;)\s*(?:width|height)\s*:\s*[01](?:px)?\s*(?:;|$)", re.IGNORECASE)
TRACKERS = re.compile(
    r"//(?:[^/]*\.)?(?:stats\.wordpress\.com|pixel\.wp\.com|feeds\.feedburner\.com/~r/|feedburner\.google\.com"
    r"|google-analytics\.com|googletagmanager\.com|doubleclick\.net|facebook\.com/tr|mc\.yandex\.ru"
    r"|pixel\.quantserve\.com|sb\.scorecardresearch\.com|list-manage\.com/track|mailchimp\.com/track)",
    re.IGNORECASE,
)


@dataclass
class Sanitized:
    soup: BeautifulSoup
    removed: Counter = field(default_factory=Counter)

    def describe_removed(self) -> str:
        """ "2 scripts and 1 tracking pixel": what was taken out, for the report."""
        parts = [f"{count} {name}{'' if count == 1 else 's'}" for name, count in sorted(self.removed.items())]
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else ""


def _dimension(value: str | None) -> int | None:
    match = re.match(r"\s*(\d+)", value or "")
    return int(match.group(1)) if match else None


def is_tracking_pixel(image: Tag) -> bool:
    width, height = _dimension(image.get("width")), _dimension(image.get("height"))
    style = image.get("style") or ""
    return (
        (width is not None and width <= 1)
        or (height is not None and height <= 1)
        or bool(HIDDEN_STYLE.search(style) or TINY_STYLE.search(style))
        or bool(TRACKERS.search(image.get("src") or ""))
    )


def sanitize(html: str) -> Sanitized:
    soup = BeautifulSoup(html, "html.parser")
    result = Sanitized(soup=soup)
    for node in soup.find_all(string=lambda text: isinstance(text, Comment | Declaration | Doctype)):
        node.extract()
    for node in soup.find_all(string=lambda text: isinstance(text, ProcessingInstruction)):
        node.extract()
    for tag in soup.find_all(list(DROPPED_ELEMENTS)):
        if not tag.decomposed:
            result.removed[DROPPED_ELEMENTS[tag.name]] += 1
            tag.decompose()
    for tag in soup.find_all("img"):
        if is_tracking_pixel(tag):
            result.removed["tracking pixel"] += 1
            tag.decompose()
    for tag in soup.find_all(True):
        for attribute in list(tag.attrs):
            if attribute.lower().startswith("on"):
                result.removed["event handler"] += 1
                del tag[attribute]
            elif attribute.lower() == "style":
                del tag[attribute]
            elif attribute.lower() in URL_ATTRIBUTES and UNSAFE_URL.match(str(tag[attribute])):
                result.removed["unsafe link"] += 1
                del tag[attribute]
    return result
