"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The live server runs in this process on the test database, so tests that use it commit their data
(`transactional_db`). Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls
from such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set, which is safe here because the test and the
event loop never run at the same time.
"""

import os
import shutil
from collections.abc import Iterator
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
def migrated_contents(django_db_setup) -> str:
    """The rows the migrations made (root page and collection, groups, the workflow), as serialized at setup.

    Transactional tests flush the database when they end. Django restores these rows from the connection's
    serialized copy, but once Playwright runs, the test sees another connection object without that copy,
    so the browser fixtures keep their own copy, hand it to that connection (so the flush at the end of the
    test and the restore at the start of the next work as Django means them to) and restore it if needed.
    """
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        pytest.fail("Browser tests need serialized_rollback=True so the migrations' rows can be restored")
    return contents


@pytest.fixture(scope="session")
def chromium(migrated_contents) -> Iterator:
    require_service(shutil.which(CHROMIUM) is not None, f"browser tests need Chromium at {CHROMIUM}")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server) -> Iterator:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(chromium, live_server) -> Iterator:
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(transactional_db, migrated_contents, settings) -> None:
    """The demo content with its users, and a contact form that accepts a quick browser submission."""
    from django.db import connection
    from wagtail.models import Collection

    connection._test_serialized_contents = migrated_contents
    if not Collection.objects.exists():
        connection.creation.deserialize_db_from_string(migrated_contents)
    settings.CONTACT_MIN_FILL_SECONDS = 0
    call_command("load_demo_content", "--with-users", stdout=StringIO())
