"""Images: responsive, modern formats, lazy, alt text required; uploads limited. Documents: downloads only."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from home.blocks import ImageBlock
from home.demo_images import get_or_create_demo_image

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (10, 120, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def image_form(filename: str, content: bytes, content_type: str):
    form_class = get_image_form(get_image_model())
    upload = SimpleUploadedFile(filename, content, content_type=content_type)
    return form_class(data={"title": "Upload"}, files={"file": upload})


def test_image_block_renders_webp_with_jpeg_fallback_srcset_sizes_dimensions_and_lazy_loading():
    image = get_or_create_demo_image("Lake test")
    block = ImageBlock()
    html = block.render(block.to_python({"image": image.pk, "alt_text": "A still lake", "caption": "Calm"}))

    assert re.search(r'<source[^>]+type="image/webp"', html)
    assert re.search(r'<img[^>]+src="[^"]+\.jpg"', html)
    assert "480w" in html and "800w" in html and "1200w" in html
    assert 'sizes="(max-width: 48rem) 100vw, 46rem"' in html
    assert re.search(r'<img[^>]+height="\d+"', html) and re.search(r'<img[^>]+width="\d+"', html)
    assert 'loading="lazy"' in html and 'alt="A still lake"' in html
    assert "<figcaption>Calm</figcaption>" in html


def test_image_block_refuses_a_missing_alt_text():
    image = get_or_create_demo_image("Alt test")
    block = ImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))


def test_an_svg_upload_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    form = image_form("evil.svg", svg, "image/svg+xml")
    assert not form.is_valid()
    assert "file" in form.errors


def test_an_oversized_image_upload_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    form = image_form("big.png", png_bytes((800, 800)) + b"\0" * 2048, "image/png")
    assert not form.is_valid()
    assert "file" in form.errors


def test_a_normal_png_upload_is_accepted():
    form = image_form("ok.png", png_bytes(), "image/png")
    assert form.is_valid(), form.errors


def test_documents_outside_the_allowlist_are_refused():
    form_class = get_document_form(get_document_model())
    for name in ("page.html", "script.js", "drawing.svg"):
        upload = SimpleUploadedFile(name, b"<html></html>", content_type="text/html")
        form = form_class(data={"title": name}, files={"file": upload})
        assert not form.is_valid(), name


def test_documents_are_served_by_django_as_downloads_with_a_restrictive_policy(client, home_page):
    document = get_document_model().objects.create(
        title="Intake guide",
        file=SimpleUploadedFile("intake.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "X-Page-Cache" not in response


def test_rendered_picture_markup_needs_no_inline_style():
    image = get_or_create_demo_image("Style test")
    html = Template(
        "{% load wagtailimages_tags %}{% picture image format-{webp,jpeg} width-{400,800} %}"
    ).render(Context({"image": image}))
    assert "style=" not in html
