"""Open what the person pointed at (a file, uploaded bytes, or a feed's URL) and hand it to the right reader.

Everything that makes the source as a whole unusable is a `SourceError` raised here, before anything is
planned or written: too large, unreachable, not XML, not a format we read, no items at all.
"""

from __future__ import annotations

from pathlib import Path

from blog.importing.feeds import is_atom, is_rss, read_atom, read_rss
from blog.importing.fetch import FetchError, fetch
from blog.importing.items import ParsedSource, SourceError
from blog.importing.limits import ImportLimits, megabytes
from blog.importing.safexml import local_name, parse_xml
from blog.importing.wxr import is_wxr, read_wxr


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def load_bytes(source: str, *, limits: ImportLimits) -> bytes:
    """The content of a file path or a feed URL, refused before reading when over the size limit."""
    if is_url(source):
        try:
            return fetch(source, max_bytes=limits.max_source_bytes, limits=limits).content
        except FetchError as error:
            raise SourceError(f"The feed could not be downloaded: {error}") from error
    path = Path(source)
    if not path.is_file():
        raise SourceError(f"There is no file at {source}.")
    if path.stat().st_size > limits.max_source_bytes:
        raise SourceError(_too_large(path.stat().st_size, limits))
    return path.read_bytes()


def _too_large(size: int, limits: ImportLimits) -> str:
    return (
        f"The file is {megabytes(size)}; the importer reads files up to {megabytes(limits.max_source_bytes)}. "
        "Export posts only (not media), or split the export by date."
    )


def read_source(content: bytes, *, limits: ImportLimits, declared_size: int | None = None) -> ParsedSource:
    """The items of a WordPress export, RSS feed or Atom feed given as bytes.

    `declared_size` is an upload's size, checked before its bytes are read.
    """
    size = max(len(content), declared_size or 0)
    if size > limits.max_source_bytes:
        raise SourceError(_too_large(size, limits))
    if content.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise SourceError(
            "This is a web page, not a feed or an export. Use the blog's feed address "
            "(often ending in /feed/ or /rss) or the file from WordPress's Tools > Export."
        )
    root = parse_xml(content)
    if is_wxr(root):
        parsed = read_wxr(root)
    elif is_rss(root):
        parsed = read_rss(root)
    elif is_atom(root):
        parsed = read_atom(root)
    else:
        raise SourceError(
            f"This XML file is not a WordPress export, an RSS feed or an Atom feed (it starts with "
            f"<{local_name(root)}>)."
        )
    if not parsed.items:
        raise SourceError(f"The {parsed.format_name} has no posts in it.")
    return parsed


def open_source(source: str, *, limits: ImportLimits) -> ParsedSource:
    return read_source(load_bytes(source, limits=limits), limits=limits)
