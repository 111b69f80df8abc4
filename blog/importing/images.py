"""Bring a post's images into the image library: download within the limits, check, store once.

An image is downloaded with the importer's size and time limits, opened with Pillow to check it is a raster image
of an allowed type and size (the image library's own rules: WAGTAILIMAGES_EXTENSIONS and
WAGTAILIMAGES_MAX_IMAGE_PIXELS), and stored unless the library already holds the same file (matched by Wagtail's
`file_hash`), so importing twice does not duplicate images. A 1 by 1 image is a tracking pixel and is dropped.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.text import get_valid_filename
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from blog.importing.fetch import FetchError, fetch
from blog.importing.limits import ImportLimits

FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}
TRACKING_PIXEL_SIZE = 2


class ImageUnavailable(Exception):
    """The image cannot be imported; the message says why."""


class TrackingPixel(ImageUnavailable):
    """The image is a counter's invisible pixel, not content."""


@dataclass(frozen=True)
class DownloadedImage:
    url: str
    content: bytes
    extension: str

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.content, usedforsecurity=False).hexdigest()

    @property
    def filename(self) -> str:
        stem = PurePosixPath(unquote(urlsplit(self.url).path)).stem[:60] or "image"
        return f"{get_valid_filename(stem) or 'image'}.{self.extension}"


def download_image(url: str, *, limits: ImportLimits) -> DownloadedImage:
    try:
        fetched = fetch(url, max_bytes=limits.max_image_bytes, limits=limits)
    except FetchError as error:
        raise ImageUnavailable(str(error)) from error
    try:
        with PILImage.open(io.BytesIO(fetched.content)) as picture:
            image_format, (width, height) = picture.format or "", picture.size
    except (UnidentifiedImageError, OSError, ValueError, PILImage.DecompressionBombError) as error:
        raise ImageUnavailable(f"{url} is not an image this site can show.") from error
    extension = FORMAT_EXTENSIONS.get(image_format)
    allowed = settings.WAGTAILIMAGES_EXTENSIONS
    if extension is None or extension not in allowed:
        raise ImageUnavailable(
            f"{url} is a {image_format or 'file'} image; the library takes {', '.join(allowed)}."
        )
    max_pixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    if width * height > max_pixels:
        raise ImageUnavailable(f"{url} is {width} by {height} pixels, larger than the library accepts.")
    if width <= TRACKING_PIXEL_SIZE and height <= TRACKING_PIXEL_SIZE:
        raise TrackingPixel(f"{url} is a tracking pixel.")
    return DownloadedImage(url=fetched.url, content=fetched.content, extension=extension)


def store_image(downloaded: DownloadedImage, *, title: str) -> tuple[AbstractImage, bool]:
    """The library's image with this file, stored now if it was not there; and whether it was stored now."""
    image_model = get_image_model()
    existing = image_model.objects.filter(file_hash=downloaded.sha1).first()
    if existing is not None:
        return existing, False
    image = image_model(title=(title or PurePosixPath(downloaded.filename).stem)[:255])
    image.file = ImageFile(io.BytesIO(downloaded.content), name=downloaded.filename)
    image.file_size = len(downloaded.content)
    image.file_hash = downloaded.sha1  # what the library's upload form records, so the next import finds it
    image.save()
    return image, True
