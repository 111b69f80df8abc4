"""The limits an import works within. Each has a default here and can be changed in Django settings.

- `BLOG_IMPORT_MAX_SOURCE_BYTES`: the largest export or feed read (10 MB; a WordPress export of several
  hundred posts is a few MB, media are not inside it). The shipped nginx accepts uploads up to 12 MB.
- `BLOG_IMPORT_MAX_IMAGE_BYTES`: the largest image fetched, by default the image library's upload limit.
- `BLOG_IMPORT_TIMEOUT_SECONDS`: how long a feed or image download may take, in total.
- `BLOG_IMPORT_ALLOW_PRIVATE_ADDRESSES`: off in production, so a file cannot make the server fetch from its own
  network (127.0.0.1, 10.x, cloud metadata addresses); the tests turn it on for their local HTTP server.
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
            max_source_bytes=getattr(settings, "BLOG_IMPORT_MAX_SOURCE_BYTES", 10 * MEGABYTE),
            max_image_bytes=getattr(
                settings,
                "BLOG_IMPORT_MAX_IMAGE_BYTES",
                getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * MEGABYTE),
            ),
            timeout_seconds=getattr(settings, "BLOG_IMPORT_TIMEOUT_SECONDS", 10.0),
            allow_private_addresses=getattr(settings, "BLOG_IMPORT_ALLOW_PRIVATE_ADDRESSES", False),
        )


def megabytes(size: int) -> str:
    """`20 MB`, `1.5 MB`: a size as the report shows it."""
    value = size / MEGABYTE
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"
