"""Shared fixtures. Integration fixtures (real worker, SMTP sink) live in tests/integration.py."""

import json

import pytest
from celery._state import _set_task_join_will_block
from django.core.cache import cache
from wagtail.models import Page, Site

from blog.models import BlogIndexPage
from tests.blog_factories import make_blog_index
from tests.browser import browser_page, chromium, demo_site, no_js_page, phone_page  # noqa: F401
from tests.factories import make_home_page
from tests.integration import broker_queue, celery_worker, live_services, smtp_sink  # noqa: F401
from tests.log_capture import json_log  # noqa: F401
from tests.tls_chain import tls_chain, tls_chain_servers  # noqa: F401


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page cached by one test must not answer in the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def outside_any_celery_task():
    """Each test starts outside any Celery task. An eager task marks "inside a task" in one process-wide flag
    (celery._state) and puts the previous value back when it ends; two live-server threads running eager tasks at
    the same time can leave it set, and every later `result.get()` in this process would refuse to run."""
    _set_task_join_will_block(False)


@pytest.fixture(scope="session")
def migrated_contents(django_db_setup, django_db_blocker) -> str:
    """The rows the migrations made (root page and collection, groups, the workflow), serialized once.

    Every test that commits (`transaction=True`) also asks for `serialized_rollback=True`: the flush at its
    end then leaves the tables empty and Django restores these rows before the next one. Django keeps them on
    the connection object, but once Playwright runs, tests see another connection object, so
    `restore_migrated_rows` hands this copy to whichever object is current.

    Content types come first. Deserializing builds each object before saving it, and Wagtail's tasks look their
    content type up while being built: with the content type cache cold (another test cleared it) and the
    content types not restored yet, that lookup would create the row under a new id, and the restored row would
    then collide with it.
    """
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    rows = json.loads(contents)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    contents = connection._test_serialized_contents = json.dumps(rows)
    return contents


def _restore_if_flushed(contents: str) -> None:
    """Put the migrations' rows back after a flush. Content types left by a process of another test still running
    on this database (a worker, the TLS chain's gunicorn) go first: theirs would collide with the restored ones."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.models import Collection

    if Collection.objects.exists():
        return
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="module", autouse=True)
def restore_migrated_rows_before_module(request, django_db_blocker) -> None:
    """A test file may follow another file's committing tests on the same xdist worker, after their flush."""
    items = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    if not any(item.get_closest_marker("django_db") or "db" in item.fixturenames for item in items):
        return
    contents = request.getfixturevalue("migrated_contents")
    with django_db_blocker.unblock():
        _restore_if_flushed(contents)


@pytest.fixture(autouse=True)
def restore_migrated_rows(request) -> None:
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    from django.db import connection

    contents = request.getfixturevalue("migrated_contents")
    connection._test_serialized_contents = contents
    _restore_if_flushed(contents)


@pytest.fixture
def home_page(db) -> Page:
    """A live HomePage at the root of the default site, as a fresh install after load_demo_content has it."""
    return make_home_page()


@pytest.fixture
def site(home_page) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def blog_index(home_page) -> BlogIndexPage:
    """A live blog index under the home page."""
    return make_blog_index(home_page)
