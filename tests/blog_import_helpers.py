"""The old blog, served locally: a threaded HTTP server for the importer's tests (no network).

Fixture files under tests/import_files/ name the old blog http://old-blog.test; `source_file` writes a copy with
the server's real address. The server answers images (generated here with Pillow), the feeds, a missing image,
a slow feed and an oversized image, and records every path asked for.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image as PILImage

FILES = Path(__file__).parent / "import_files"
OLD_ADDRESS = "http://old-blog.test"


def picture(width: int, height: int, image_format: str, colour=(90, 140, 160)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format=image_format)
    return buffer.getvalue()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up mid-download (the importer at its size limit) is expected here."""


class OldBlog:
    """The running server: its base `url`, the `requests` it received, and the `routes` it answers."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.slow_seconds = 3.0
        self.routes: dict[str, tuple[str, bytes]] = {
            "/wp-content/uploads/2021/03/lake.jpg": ("image/jpeg", picture(640, 400, "JPEG")),
            "/wp-content/uploads/2021/06/moon.png": ("image/png", picture(300, 200, "PNG", (20, 30, 80))),
            "/static/photos/chairs.jpg": ("image/jpeg", picture(500, 300, "JPEG", (150, 120, 90))),
            "/pixel.gif": ("image/gif", picture(1, 1, "GIF")),
            "/not-an-image.jpg": ("image/jpeg", b"<html>this is not a picture</html>"),
            "/page.html": ("text/html", b"<!DOCTYPE html><html><head><title>Blog</title></head></html>"),
        }
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.routes["/feed/rss/"] = ("application/rss+xml", self.rewrite("rss_feed.xml"))
        self.routes["/feed/atom/"] = ("application/atom+xml", self.rewrite("atom_feed.xml"))

    def rewrite(self, name: str) -> bytes:
        return (FILES / name).read_bytes().replace(OLD_ADDRESS.encode(), self.url.encode())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        blog = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                blog.requests.append(self.path)
                if self.path == "/slow-feed/":
                    time.sleep(blog.slow_seconds)
                if self.path == "/huge.jpg":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.end_headers()
                    chunk = b"\xff" * 65536
                    for _ in range(200):  # 12.5 MB with no Content-Length: the reader must count
                        self.wfile.write(chunk)
                    return
                if self.path == "/elsewhere/":
                    self.send_response(302)
                    self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                    self.end_headers()
                    return
                content_type, body = blog.routes.get(self.path, ("", b""))
                self.send_response(200 if content_type else 404)
                self.send_header("Content-Type", content_type or "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:
                return

        return Handler

    def image_requests(self) -> list[str]:
        return [path for path in self.requests if path.endswith((".jpg", ".png", ".gif"))]


@pytest.fixture(name="old_blog")
def old_blog_fixture(settings) -> Iterator[OldBlog]:
    """The old blog on 127.0.0.1, with the importer allowed to reach this machine and quick to give up."""
    settings.BLOG_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    settings.BLOG_IMPORT_TIMEOUT_SECONDS = 1.0
    blog = OldBlog()
    thread = threading.Thread(target=blog.server.serve_forever, daemon=True)
    thread.start()
    yield blog
    blog.server.shutdown()
    blog.server.server_close()
    thread.join(timeout=5)


def source_file(name: str, tmp_path: Path, blog: OldBlog | None = None) -> Path:
    """A copy of a fixture file under tmp_path, pointing at the local old blog when one is given."""
    target = tmp_path / name
    target.write_bytes(blog.rewrite(name) if blog else (FILES / name).read_bytes())
    return target
