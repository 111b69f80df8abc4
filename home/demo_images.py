"""Demo images drawn locally with Pillow: soft landscapes, so the demo needs no download."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model

PALETTES = {
    "dawn": ((245, 214, 186), (214, 140, 120), (88, 120, 110)),
    "lake": ((205, 226, 232), (120, 170, 180), (40, 92, 85)),
    "meadow": ((236, 240, 214), (168, 196, 140), (72, 110, 74)),
    "dusk": ((226, 212, 232), (150, 130, 180), (60, 64, 100)),
}


def draw_landscape(seed: str, size: tuple[int, int] = (1280, 800)) -> bytes:
    """A sky gradient with two rolling hills; the same seed always draws the same picture."""
    rng = random.Random(seed)  # noqa: S311 - draws decoration, not secrets  # nosec B311
    sky, hills, ground = PALETTES[rng.choice(sorted(PALETTES))]
    width, height = size
    image = PILImage.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):
        mix = y / (height / 2)
        colour = tuple(
            int(sky[i] * (1 - mix) + hills[i] * mix * 0.35 + sky[i] * mix * 0.65) for i in range(3)
        )
        draw.line([(0, y), (width, y)], fill=colour)
    sun_x = rng.randint(width // 5, width * 4 // 5)
    draw.ellipse([sun_x - 90, 160, sun_x + 90, 340], fill=(255, 244, 220))
    for layer, colour in enumerate((hills, ground)):
        base = height * (0.55 + layer * 0.15)
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base + rng.randint(-60, 60)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def get_or_create_demo_image(title: str):
    """The demo image with this title, drawn and saved on first use."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    image = image_model(title=title)
    image.file = ImageFile(io.BytesIO(draw_landscape(title)), name=f"demo-{slug}.jpg")
    image.save()
    return image
