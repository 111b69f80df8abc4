"""Shared fixtures. Integration fixtures (real worker, SMTP sink) live in tests/integration.py."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from tests.browser import browser_page, chromium, demo_site, migrated_contents, no_js_page  # noqa: F401
from tests.factories import make_home_page
from tests.integration import broker_queue, celery_worker, live_services, smtp_sink  # noqa: F401


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page cached by one test must not answer in the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db) -> Page:
    """A live HomePage at the root of the default site, as a fresh install after load_demo_content has it."""
    return make_home_page()


@pytest.fixture
def site(home_page) -> Site:
    return Site.objects.get(is_default_site=True)
