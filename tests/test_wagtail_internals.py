"""The private attributes home.wagtail_internals relies on still do what it needs: an upgrade of Wagtail, treebeard
or Django that renames or reshapes one fails here, not as a slow page or a stale site."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from home.models import HomePage
from home.wagtail_internals import (
    give_parent,
    give_site,
    give_site_root_paths,
    given_parent,
    has_site_root_paths,
    raw_host,
    set_converted_block,
    unconverted_blocks,
)
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db


def test_raw_host_is_the_host_as_sent_even_one_django_would_refuse(settings):
    settings.ALLOWED_HOSTS = ["practice.example"]
    request = RequestFactory().get("/", HTTP_HOST="not-allowed.example:8080")

    assert raw_host(request) == "not-allowed.example:8080"


def test_a_given_site_is_what_wagtail_finds_for_the_request_without_a_query(
    home_page, django_assert_num_queries
):
    request = RequestFactory().get("/", HTTP_HOST="elsewhere.example")
    site = Site.objects.get(is_default_site=True)
    give_site(request, site)

    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is site


def test_given_root_paths_are_what_page_urls_are_built_from(home_page, django_assert_num_queries):
    page = make_standard_page(home_page, title="Fees")
    request = RequestFactory().get("/")
    assert not has_site_root_paths(request)
    moved = [path._replace(root_url="https://moved.example") for path in Site.get_site_root_paths()]
    give_site_root_paths(request, moved)

    assert has_site_root_paths(request)
    with django_assert_num_queries(0):
        assert page.get_full_url(request=request) == "https://moved.example/fees/"


def test_a_given_parent_is_what_get_parent_answers_without_a_query(home_page, django_assert_num_queries):
    page = Page.objects.get(pk=make_standard_page(home_page, title="Fees").pk)
    parent = HomePage.objects.get(pk=home_page.pk)
    assert given_parent(page) is None
    give_parent(page, parent)

    with django_assert_num_queries(0):
        assert page.get_parent() is parent
    assert given_parent(page) is parent


def test_blocks_are_listed_unconverted_and_stored_converted_as_the_stream_would(home_page):
    page = make_standard_page(
        home_page, title="Fees", body=[("paragraph", "<p>One</p>"), ("paragraph", "<p>Two</p>")]
    )
    stream = type(page).objects.get(pk=page.pk).body
    child_block = stream.stream_block.child_blocks["paragraph"]

    pending = list(unconverted_blocks(stream))
    assert [(position, raw["type"]) for position, raw in pending] == [(0, "paragraph"), (1, "paragraph")]
    block_id = pending[0][1]["id"]

    set_converted_block(stream, 0, child_block, child_block.to_python("<p>Converted</p>"))

    assert [position for position, _ in unconverted_blocks(stream)] == [1]
    assert stream[0].id == block_id
    assert stream[0].block is child_block
    assert str(stream[0].value) == "<p>Converted</p>"
    assert str(stream[1].value) == "<p>Two</p>"
