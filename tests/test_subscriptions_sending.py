"""Sending new posts to subscribers: once per post, only to confirmed addresses, in batches through the outbox,
never twice; the weekly digest; the emails' words, image and unsubscribe links; imported and demo posts mail
no one."""

from __future__ import annotations

import datetime
import io
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import Page, Site

from blog import demo as blog_demo
from blog.models import BlogPage, PostAnnouncement, PostMailing, Subscriber, SubscriptionSettings
from blog.subscriptions import keys, links, sending
from blog.tasks import resume_mailings, send_mailing_batch, send_weekly_digest
from home import demo as home_demo
from home.blocks import describe_image
from home.models import PracticeSettings
from site_project.accounts.groups import COUNSELOR, EDITORS
from site_project.outbox import services as outbox
from site_project.outbox.models import Email
from tests.blog_factories import make_blog_index, make_image, make_post
from tests.blog_import_helpers import old_blog_fixture, source_file  # noqa: F401
from tests.factories import publish
from tests.outbox_factories import make_message
from tests.services import require_service
from tests.test_blog_workflow import make_user

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


def subscribe(email: str, *, confirmed: bool = True) -> Subscriber:
    return Subscriber.objects.create(
        email=email, confirmed_at=timezone.now() - timedelta(hours=1) if confirmed else None
    )


def subscribers(count: int) -> list[Subscriber]:
    return [subscribe(f"reader{number:02}@example.org") for number in range(count)]


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def subjects_to(address: str) -> list[str]:
    return [message.subject for message in mail.outbox if address in message.to]


def set_frequency(frequency: str, weekday: int = MONDAY.weekday()) -> None:
    site_settings = SubscriptionSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.frequency, site_settings.digest_weekday = frequency, weekday
    site_settings.save()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what waits for a commit (batch tasks, outbox deliveries) when the block ends, as a request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def draft(blog_index, **fields) -> BlogPage:
    return make_post(blog_index, live=False, **fields)


def test_the_first_publication_mails_each_confirmed_subscriber_once_and_no_unconfirmed_one(
    blog_index, after_commit
):
    subscribe("ana@example.org")
    subscribe("ben@example.org")
    subscribe("not-yet@example.org", confirmed=False)
    post = draft(blog_index, title="Sleep when your mind races")
    with after_commit():
        publish(post)

    assert recipients() == ["ana@example.org", "ben@example.org"]
    assert {message.subject for message in mail.outbox} == {"Sleep when your mind races"}
    mailing = PostMailing.objects.get()
    assert (mailing.kind, mailing.recipients, mailing.finished_at is not None) == ("post", 2, True)
    assert PostAnnouncement.objects.get(post=post).mailing == mailing
    assert Email.objects.filter(status="sent").count() == 2


def test_republishing_or_editing_and_publishing_again_mails_nobody(blog_index, after_commit):
    subscribe("ana@example.org")
    post = draft(blog_index)
    with after_commit():
        publish(post)
    mail.outbox.clear()

    with after_commit():
        publish(post)
        post.title = "A better title"
        publish(post)
        post.unpublish()
        publish(post)

    assert mail.outbox == []
    assert PostMailing.objects.count() == 1
    assert PostAnnouncement.objects.count() == 1


def test_a_post_marked_not_to_be_emailed_mails_nobody_even_when_ticked_later(blog_index, after_commit):
    subscribe("ana@example.org")
    post = draft(blog_index, email_subscribers=False)
    with after_commit():
        publish(post)
        post.email_subscribers = True
        publish(post)

    assert mail.outbox == []
    assert not PostMailing.objects.exists()
    announcement = PostAnnouncement.objects.get(post=post)
    assert (announcement.emailed, announcement.mailing) == (False, None)


def test_the_counselors_approval_of_a_submitted_post_mails_it(blog_index, after_commit):
    subscribe("ana@example.org")
    editor, counselor = make_user("editor", EDITORS), make_user("counselor", COUNSELOR)
    post = draft(blog_index, title="For review")
    with after_commit():
        state = post.get_workflow().start(post, editor)
    assert subjects_to("ana@example.org") == []  # the counselor is asked to review; readers get nothing yet

    task_state = state.current_task_state
    with after_commit():
        task_state.task.specific.on_action(task_state, counselor, "approve")

    assert subjects_to("ana@example.org") == ["For review"]


def run_publish_scheduled_at(moment: datetime.datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("publish_scheduled")


def test_a_scheduled_post_is_mailed_once_when_publish_scheduled_puts_it_live(blog_index, after_commit):
    subscribe("ana@example.org")
    post = draft(blog_index)
    go_live_at = timezone.now() + timedelta(hours=1)
    post.go_live_at = go_live_at
    with after_commit():
        post.save_revision().publish()  # approved to go live later: not live, nothing mailed
    assert mail.outbox == [] and not PostAnnouncement.objects.exists()

    with after_commit():
        run_publish_scheduled_at(go_live_at + timedelta(minutes=1))
        run_publish_scheduled_at(go_live_at + timedelta(minutes=2))

    assert BlogPage.objects.get(pk=post.pk).live
    assert recipients() == ["ana@example.org"]


def test_batches_follow_the_cursor_chain_and_finish(blog_index, settings, django_capture_on_commit_callbacks):
    settings.SUBSCRIPTION_BATCH_SIZE = 3
    readers = subscribers(10)
    post = draft(blog_index)
    with django_capture_on_commit_callbacks(execute=False):
        publish(post)
    mailing = PostMailing.objects.get()
    assert mailing.recipients == 10

    cursors = []
    for expected in (3, 3, 3, 1):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert sending.send_batch(mailing.pk) == expected
        mailing.refresh_from_db()
        cursors.append(mailing.last_subscriber_id)
        # The outbox's delivery, and the next batch unless this one was the last.
        assert len(callbacks) == (2 if expected == 3 else 1)
        assert (mailing.finished_at is None) == (expected == 3)

    assert cursors == [readers[2].pk, readers[5].pk, readers[8].pk, readers[9].pk]
    assert sorted(Email.objects.values_list("key", flat=True)) == sorted(
        keys.mailing_key(reader.pk, mailing.pk) for reader in readers
    )
    assert sending.send_batch(mailing.pk) == 0  # a finished mailing stores nothing more


def test_the_chain_of_batches_delivers_to_every_subscriber_once(blog_index, settings, after_commit):
    settings.SUBSCRIPTION_BATCH_SIZE = 3
    readers = subscribers(10)
    with after_commit():
        publish(draft(blog_index))
    assert recipients() == sorted(reader.email for reader in readers)
    assert PostMailing.objects.get().finished_at is not None


def test_a_batch_run_twice_sends_nothing_twice(blog_index, settings, after_commit):
    settings.SUBSCRIPTION_BATCH_SIZE = 3
    subscribers(5)
    with after_commit():
        publish(draft(blog_index))
    mailing = PostMailing.objects.get()
    assert len(mail.outbox) == 5

    # As if the cursor's update had been lost after the messages were stored: the batches run again.
    PostMailing.objects.filter(pk=mailing.pk).update(last_subscriber_id=0, finished_at=None)
    with after_commit():
        assert send_mailing_batch.delay(mailing.pk).get() == 0

    assert len(mail.outbox) == 5
    assert Email.objects.count() == 5
    assert PostMailing.objects.get().finished_at is not None


def test_an_address_confirmed_after_the_mailing_started_waits_for_the_next_one(
    blog_index, django_capture_on_commit_callbacks
):
    subscribe("ana@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        publish(draft(blog_index))
    Subscriber.objects.create(email="late@example.org", confirmed_at=timezone.now() + timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_batch(PostMailing.objects.get().pk)
    assert recipients() == ["ana@example.org"]


def test_the_batch_renders_the_email_once_for_all_its_subscribers(
    blog_index, django_capture_on_commit_callbacks
):
    subscribers(5)
    with django_capture_on_commit_callbacks(execute=False):
        publish(draft(blog_index))
    with mock.patch.object(sending, "render_mailing", wraps=sending.render_mailing) as render:
        assert sending.send_batch(PostMailing.objects.get().pk) == 5
    assert render.call_count == 1


def test_a_post_taken_down_before_its_batch_ran_is_not_mailed(blog_index, django_capture_on_commit_callbacks):
    subscribe("ana@example.org")
    post = draft(blog_index)
    with django_capture_on_commit_callbacks(execute=False):
        publish(post)
    post.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.send_batch(PostMailing.objects.get().pk) == 0
    assert mail.outbox == []
    assert PostMailing.objects.get().finished_at is not None


def test_resume_mailings_restarts_a_stalled_mailing_and_leaves_moving_and_finished_ones(
    blog_index, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIPTION_BATCH_SIZE = 2
    subscribers(3)
    with django_capture_on_commit_callbacks(execute=False):
        publish(draft(blog_index))  # the broker was down: the first batch was never enqueued
    stalled = PostMailing.objects.get()
    moving = PostMailing.objects.create(recipients=3)
    with django_capture_on_commit_callbacks(execute=False):
        sending.send_batch(moving.pk)  # its first batch just ran, its next one is on its way
    finished = PostMailing.objects.create(finished_at=timezone.now())
    a_while_ago = timezone.now() - timedelta(minutes=5)
    PostMailing.objects.filter(pk__in=[stalled.pk, moving.pk, finished.pk]).update(created_at=a_while_ago)

    with mock.patch.object(sending, "enqueue_batch", return_value=True) as enqueue:
        assert resume_mailings.delay().get() == 1
    enqueue.assert_called_once_with(stalled.pk)

    with django_capture_on_commit_callbacks(execute=True):
        resume_mailings.delay()
    assert len(mail.outbox) == 3
    assert PostMailing.objects.get(pk=stalled.pk).finished_at is not None


def test_resume_mailings_runs_every_minute_and_the_digest_every_morning():
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["blog.tasks.resume_mailings"] == timedelta(minutes=1)
    digest = tasks["blog.tasks.send_weekly_digest"]
    assert digest.hour == {7} and digest.day_of_week == set(range(7))
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


def test_weekly_posts_wait_and_go_out_together_on_the_digest_day_only(blog_index, after_commit):
    subscribe("ana@example.org")
    set_frequency("weekly")
    first = draft(blog_index, title="First of the week")
    second = draft(blog_index, title="Second of the week")
    with after_commit():
        publish(first)
        publish(second)
    assert mail.outbox == []
    assert PostAnnouncement.objects.filter(mailing=None, emailed=True).count() == 2

    with after_commit():
        assert sending.start_weekly_digest(MONDAY + timedelta(days=1)) is None
    assert mail.outbox == []

    with after_commit():
        digest = sending.start_weekly_digest(MONDAY)
        assert sending.start_weekly_digest(MONDAY) is None  # the same morning again: nothing left waiting
    assert digest.kind == "digest"
    (message,) = mail.outbox
    practice_name = PracticeSettings.for_site(Site.objects.get(is_default_site=True)).practice_name
    assert message.subject == f"New posts from {practice_name}"
    assert message.body.index("FIRST OF THE WEEK") < message.body.index("SECOND OF THE WEEK")
    assert set(PostAnnouncement.objects.values_list("mailing", flat=True)) == {digest.pk}


def test_the_digest_task_reads_the_day_in_the_practice_time_zone(blog_index, after_commit):
    subscribe("ana@example.org")
    set_frequency("weekly")
    with after_commit():
        publish(draft(blog_index))
    # Monday 07:30 in the practice's zone is still Monday there, whatever the server's clock says.
    monday_morning = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(7, 30)))
    with after_commit(), mock.patch("django.utils.timezone.now", return_value=monday_morning):
        assert send_weekly_digest.delay().get() is not None
    assert len(mail.outbox) == 1


def test_a_digest_leaves_out_posts_taken_down_and_waits_for_them(blog_index, after_commit):
    subscribe("ana@example.org")
    set_frequency("weekly")
    kept, taken_down = draft(blog_index, title="Kept"), draft(blog_index, title="Taken down")
    with after_commit():
        publish(kept)
        publish(taken_down)
    taken_down.unpublish()
    with after_commit():
        sending.start_weekly_digest(MONDAY)
    assert "KEPT" in mail.outbox[0].body and "TAKEN DOWN" not in mail.outbox[0].body
    assert PostAnnouncement.objects.get(post=taken_down).mailing is None


def test_switching_back_to_each_post_sends_new_posts_at_once_and_waiting_ones_in_the_next_digest(
    blog_index, after_commit
):
    subscribe("ana@example.org")
    set_frequency("weekly")
    waiting = draft(blog_index, title="Written during the weekly weeks")
    with after_commit():
        publish(waiting)
    set_frequency("each_post")
    with after_commit():
        publish(draft(blog_index, title="Written after the switch"))
    assert [message.subject for message in mail.outbox] == ["Written after the switch"]

    with after_commit():
        sending.start_weekly_digest(MONDAY)
    assert "WRITTEN DURING THE WEEKLY WEEKS" in mail.outbox[1].body
    assert "WRITTEN AFTER THE SWITCH" not in mail.outbox[1].body


def test_the_email_has_the_post_its_image_the_reason_and_one_click_unsubscribe(
    blog_index, settings, after_commit
):
    settings.SITE_URL = "https://practice.example"
    ana = subscribe("ana@example.org")
    image = make_image("Lake at dawn")
    describe_image(image, "A still lake at dawn")
    post = draft(
        blog_index,
        title="Breathing <slowly>",
        summary="Four counts in, six out.",
        slug="breathing",
        hero_image=image,
    )
    with after_commit():
        publish(post)

    (message,) = mail.outbox
    unsubscribe_url = links.unsubscribe_url(ana)
    assert unsubscribe_url.startswith("https://practice.example/")
    assert message.subject == "Breathing <slowly>"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    post_url = "https://practice.example" + post.get_url_parts()[2]
    assert f"Read the post: {post_url}" in message.body
    assert "Four counts in, six out." in message.body
    assert "because you subscribed" in message.body
    assert message.body.rstrip().endswith(unsubscribe_url)

    html = message.alternatives[0][0]
    assert "Breathing &lt;slowly&gt;" in html
    assert f'<a href="{post_url}"' in html and "Read the post</a>" in html
    rendition = image.get_rendition(sending_rendition_spec())
    assert f'<img src="https://practice.example{rendition.url}" alt="A still lake at dawn"' in html
    footer = html[html.index("because you subscribed") :]
    assert f'<a href="{unsubscribe_url}"' in footer


def sending_rendition_spec() -> str:
    from blog.subscriptions.messages import HERO_RENDITION

    return HERO_RENDITION


def test_a_decorative_hero_image_has_an_empty_alt(blog_index, after_commit):
    subscribe("ana@example.org")
    image = make_image("Pattern")
    describe_image(image, "A pattern")
    with after_commit():
        publish(draft(blog_index, hero_image=image, hero_image_decorative=True))
    assert 'alt=""' in mail.outbox[0].alternatives[0][0]


def test_imported_posts_published_by_the_import_mail_no_one(blog_index, tmp_path, old_blog, after_commit):
    subscribe("ana@example.org")
    wxr = str(source_file("wordpress_export.xml", tmp_path, old_blog))
    with after_commit():
        call_command("import_posts", wxr, "--publish", stdout=io.StringIO())

    imported = BlogPage.objects.filter(live=True)
    assert imported.exists()
    assert mail.outbox == []
    assert not PostMailing.objects.exists()
    assert set(PostAnnouncement.objects.values_list("emailed", flat=True)) == {False}
    assert not any(imported.values_list("email_subscribers", flat=True))


def test_demo_posts_mail_no_one_even_the_scheduled_one(after_commit):
    subscribe("ana@example.org")
    with after_commit():
        home_demo.load(stdout=io.StringIO(), with_users=False)
        blog_demo.load(stdout=io.StringIO(), with_users=False)
        run_publish_scheduled_at(timezone.now() + timedelta(days=30))
    assert not BlogPage.objects.filter(live=False).exists()
    assert mail.outbox == []
    assert not PostMailing.objects.exists()


def test_send_many_stores_new_messages_in_one_insert_and_skips_keys_already_stored(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    outbox.send(make_message(subject="Already here"), key="tests.many.1")
    # Three queries: look up the keys, insert the new rows, read their ids back.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(3):
        stored = outbox.send_many(
            (make_message(subject=f"Message {number}"), f"tests.many.{number}") for number in range(1, 4)
        )
    assert stored == 2
    assert sorted(message.subject for message in mail.outbox) == ["Message 2", "Message 3"]
    assert Email.objects.get(key="tests.many.1").subject == "Already here"

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.send_many([(make_message(), "tests.many.2")]) == 0
    assert len(mail.outbox) == 2


def test_send_many_refuses_a_bad_message_before_storing_any(django_capture_on_commit_callbacks):
    pairs = [(make_message(), "tests.good"), (make_message(subject="Line\nbreak"), "tests.bad")]
    with pytest.raises(ValueError):
        outbox.send_many(pairs)
    assert not Email.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_batches_running_side_by_side_on_postgresql_store_each_message_once(settings):
    """Two workers on one mailing (a resumed chain beside a live one) take turns on the mailing's row lock."""
    require_service(
        connection.vendor == "postgresql", "row locks are tested on PostgreSQL (set DATABASE_URL)"
    )
    settings.SUBSCRIPTION_BATCH_SIZE = 3
    site = Site.objects.get(is_default_site=True)
    index = make_blog_index(Page.objects.get(pk=site.root_page_id))
    readers = subscribers(10)
    with mock.patch.object(sending, "enqueue_batch"):  # the two workers below are the only ones sending
        publish(draft(index))
    mailing = PostMailing.objects.get()

    def worker() -> None:
        try:
            while sending.send_batch(mailing.pk):
                pass
        finally:
            connection.close()

    with mock.patch.object(sending, "enqueue_batch"):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(Email.objects.values_list("key", flat=True)) == sorted(
        keys.mailing_key(reader.pk, mailing.pk) for reader in readers
    )
    mailing.refresh_from_db()
    assert (mailing.last_subscriber_id, mailing.finished_at is not None) == (readers[-1].pk, True)
