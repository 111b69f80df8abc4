"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The live server runs in this process on the test database, so tests that use it commit their data
(`transactional_db`). Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls
from such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set, which is safe here because the test and the
event loop never run at the same time.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command

from tests.services import require_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium(migrated_contents) -> Iterator:
    require_service(shutil.which(CHROMIUM) is not None, f"browser tests need Chromium at {CHROMIUM}")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def open_page(chromium, live_server, **context_options) -> Iterator:
    """A page in a fresh browser context on the live server; `context_options` as Playwright's new_context."""
    context = chromium.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def browser_page(chromium, live_server) -> Iterator:
    with open_page(chromium, live_server, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def no_js_page(chromium, live_server) -> Iterator:
    with open_page(chromium, live_server, java_script_enabled=False) as page:
        yield page


@pytest.fixture
def phone_page(chromium, live_server) -> Iterator:
    """A phone's screen: 390 x 844 CSS pixels, touch, a mobile viewport (an iPhone 12 to 15's size)."""
    with open_page(
        chromium, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ) as page:
        yield page


@pytest.fixture
def demo_site(transactional_db, settings) -> None:
    """The demo content with its users, and a contact form that accepts a quick browser submission."""
    settings.CONTACT_MIN_FILL_SECONDS = 0
    call_command("load_demo_content", "--with-users", stdout=StringIO())
