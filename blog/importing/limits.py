"""The limits an import works within, read from the BLOG_IMPORT_* settings (site_project/settings/base.py).

A WordPress export of several hundred posts is a few MB (media are not inside it), hence a 10 MB default. Private
addresses stay unreachable in production, so a file cannot make the server fetch from its own network (127.0.0.1,
10.x, cloud metadata addresses).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    max_source_bytes: int
    max_image_bytes: int
    timeout_seconds: float
    allow_private_addresses: bool

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            max_source_bytes=settings.BLOG_IMPORT_MAX_SOURCE_BYTES,
            max_image_bytes=settings.BLOG_IMPORT_MAX_IMAGE_BYTES,
            timeout_seconds=float(settings.BLOG_IMPORT_TIMEOUT_SECONDS),
            allow_private_addresses=settings.BLOG_IMPORT_ALLOW_PRIVATE_ADDRESSES,
        )


def megabytes(size: int) -> str:
    """`20 MB`, `1.5 MB`: a size as the report shows it."""
    value = size / MEGABYTE
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"
