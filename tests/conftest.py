"""Shared fixtures. Tests that need PostgreSQL, Redis or Chromium are marked; with CI=true they fail, not skip,
when the service is missing."""

import os

import pytest
from wagtail.models import Page, Site

from tests.factories import make_home_page

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(available: bool, reason: str) -> None:
    """Skip on a developer machine without the service; fail in CI, where every service must be there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)


@pytest.fixture
def home_page(db) -> Page:
    """A live HomePage at the root of the default site, as a fresh install after load_demo_content has it."""
    return make_home_page()


@pytest.fixture
def site(home_page) -> Site:
    return Site.objects.get(is_default_site=True)
