"""Scheduled publishing: Celery beat's publish_scheduled publishes after go-live, never before, and expires."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from blog.models import BlogPage
from site_project.tasks import publish_scheduled
from tests.blog_factories import make_post, schedule

pytestmark = pytest.mark.django_db


def run_beat_at(moment: datetime.datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        publish_scheduled.delay()


def test_beat_runs_publish_scheduled_every_minute():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "site_project.tasks.publish_scheduled"
    )
    assert entry["schedule"] == datetime.timedelta(minutes=1)


def test_a_scheduled_post_stays_hidden_just_before_go_live(client, blog_index):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    post = schedule(make_post(blog_index, live=False, title="Soon"), go_live_at=go_live)
    run_beat_at(go_live - datetime.timedelta(seconds=1))
    post.refresh_from_db()
    assert not post.live
    assert "Soon" not in client.get("/blog/").content.decode()


def test_a_scheduled_post_goes_live_just_after_go_live(client, blog_index):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    post = schedule(make_post(blog_index, live=False, title="Soon"), go_live_at=go_live)
    client.get("/blog/")  # a cached copy of the index must not hide the new post
    run_beat_at(go_live + datetime.timedelta(seconds=1))
    post.refresh_from_db()
    assert post.live
    assert "Soon" in client.get("/blog/").content.decode()
    assert client.get(post.url).status_code == 200


def test_an_expiring_post_stays_until_its_expiry_and_goes_after(client, blog_index):
    post = make_post(blog_index, title="Short-lived")
    expire_at = timezone.now() + datetime.timedelta(hours=1)
    BlogPage.objects.filter(pk=post.pk).update(expire_at=expire_at)

    run_beat_at(expire_at - datetime.timedelta(seconds=1))
    post.refresh_from_db()
    assert post.live

    run_beat_at(expire_at + datetime.timedelta(seconds=1))
    post.refresh_from_db()
    assert not post.live and post.expired
    assert "Short-lived" not in client.get("/blog/").content.decode()
    assert client.get("/blog/short-lived/").status_code == 404
