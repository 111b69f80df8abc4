"""Sending new posts to subscribers: announce a post once, then hand the mailing to the outbox in batches.

1. `announce(post)` runs when a post is published (Wagtail's page_published signal: the editor's Publish,
   workflow approval, and scheduled posts published by `publish_scheduled`). The first time, it writes the post's
   `PostAnnouncement`; later publications find it and do nothing, so a post is never mailed twice. With the site
   set to an email per post, it starts a `PostMailing` for the post; with the weekly digest, the announcement
   waits for `start_weekly_digest`.
2. `send_batch(mailing_id)` (the Celery task `blog.tasks.send_mailing_batch`) locks the mailing, stores one
   message for each of the next SUBSCRIPTION_BATCH_SIZE subscribers after its cursor in the outbox (one bulk
   insert, under a key per subscriber and mailing), moves the cursor, and enqueues the next batch after commit.
   A worker killed mid-batch rolls the batch back and the redelivered task does it again; a batch done twice
   stores nothing twice (the outbox keys).
3. `resume_stalled_mailings` (beat, every minute) re-enqueues a mailing whose chain broke: the broker was down
   at commit, or a task was lost. A second chain running beside a live one is harmless: each batch takes the lock
   and continues from the cursor.

The outbox then delivers each message, with its own retries. A mailing goes to the addresses confirmed when it
started; subscribers confirmed later get the next one.

Waiting posts and the frequency: when the counselor switches from the weekly digest back to an email per post,
the posts already waiting still go out in the next digest, on the digest day. Switching never sends a burst of
older posts at once, and never drops one; only posts published after the switch get their own email.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Site

from blog.models import BlogPage, PostAnnouncement, PostMailing, Subscriber, SubscriptionSettings
from blog.subscriptions import keys
from blog.subscriptions.messages import render_mailing
from site_project.outbox import services as outbox
from site_project.outbox.models import Email

logger = logging.getLogger(__name__)


def confirmed_subscribers() -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(confirmed_at__isnull=False)


def subscription_settings(site: Site | None = None) -> SubscriptionSettings:
    """The site's subscription settings; the default site's for a page outside every site."""
    return SubscriptionSettings.of_site(site or Site.objects.get(is_default_site=True))


def start_mailing(kind: str, announcements: list[PostAnnouncement]) -> PostMailing:
    """Create a mailing for these announcements and send its first batch once the transaction commits."""
    mailing = PostMailing.objects.create(kind=kind, recipients=confirmed_subscribers().count())
    PostAnnouncement.objects.filter(pk__in=[announcement.pk for announcement in announcements]).update(
        mailing=mailing
    )
    transaction.on_commit(lambda: enqueue_batch(mailing.pk))
    return mailing


def enqueue_batch(mailing_id: int) -> bool:
    """Hand a mailing's next batch to Celery; after a broker failure, `resume_stalled_mailings` sends it."""
    from blog.tasks import send_mailing_batch  # blog.tasks imports this module

    try:
        send_mailing_batch.delay(mailing_id)
    except Exception as error:  # any broker failure: the beat task resumes the mailing
        logger.warning(
            "Could not enqueue mailing %s (%s); it will be resumed", mailing_id, type(error).__name__
        )
        return False
    return True


def announce(post: BlogPage) -> PostAnnouncement | None:
    """Record a post's first publication and, unless it waits for the digest or must not be emailed, mail it.

    Returns the new announcement, or None when the post was announced before (republished, or edited and
    published again) or is not live: Wagtail sends page_published also when a revision is approved to go live
    later, and the post is announced when `publish_scheduled` puts it live. The announcement's unique post
    column is the lock: of two publications racing, the second waits for the first's transaction and then
    finds its row.
    """
    if not post.live:
        return None
    with transaction.atomic():
        announcement, created = PostAnnouncement.objects.get_or_create(
            post=post, defaults={"emailed": post.email_subscribers}
        )
        if not created:
            return None
        if not post.email_subscribers:
            logger.info("Post %s went live marked not to be emailed", post.pk)
            return announcement
        frequency = subscription_settings(post.get_site()).frequency
        if frequency == SubscriptionSettings.Frequency.EACH_POST:
            announcement.mailing = start_mailing(PostMailing.Kind.POST, [announcement])
    return announcement


def send_batch(mailing_id: int) -> int:
    """Store the mailing's next batch of messages in the outbox; returns how many were stored.

    Takes the mailing's row lock for the whole batch, so batches of one mailing never run side by side.
    """
    batch_size = settings.SUBSCRIPTION_BATCH_SIZE
    with transaction.atomic():
        mailing = (
            PostMailing.objects.select_for_update().filter(pk=mailing_id, finished_at__isnull=True).first()
        )
        if mailing is None:
            return 0
        # Locked too: a reader unsubscribing meanwhile waits for this batch, then deletes its message with them.
        batch = list(
            confirmed_subscribers()
            .select_for_update(of=("self",))
            .filter(pk__gt=mailing.last_subscriber_id, confirmed_at__lte=mailing.created_at)
            .order_by("pk")[:batch_size]
        )
        # None when no one is left to mail, or every post of the mailing was taken down (or deleted) meanwhile.
        content = render_mailing(mailing) if batch else None
        stored = 0
        if content is not None:
            stored = outbox.send_many(
                (content.message_for(subscriber), keys.mailing_key(subscriber.pk, mailing.pk))
                for subscriber in batch
            )
            mailing.last_subscriber_id = batch[-1].pk
        if content is not None and len(batch) == batch_size:
            transaction.on_commit(lambda: enqueue_batch(mailing.pk))
        else:
            mailing.finished_at = timezone.now()
        mailing.save(update_fields=["last_subscriber_id", "finished_at"])
    logger.info(
        "Mailing %s: stored %s messages, cursor at %s", mailing.pk, stored, mailing.last_subscriber_id
    )
    return stored


def last_progress(mailing: PostMailing):
    """When the mailing last moved: its last batch's message to the cursor's subscriber, else its start.

    One look-up by the outbox's unique key. If that subscriber has since unsubscribed (their messages are
    deleted), the mailing counts as stalled and is resumed: harmless, a batch takes the lock.
    """
    if not mailing.last_subscriber_id:
        return mailing.created_at
    key = keys.mailing_key(mailing.last_subscriber_id, mailing.pk)
    return Email.objects.filter(key=key).values_list("created_at", flat=True).first() or mailing.created_at


def resume_stalled_mailings() -> int:
    """Re-enqueue unfinished mailings that have not moved for SUBSCRIPTION_STALLED_AFTER_SECONDS; returns how many."""
    threshold = timezone.now() - timedelta(seconds=settings.SUBSCRIPTION_STALLED_AFTER_SECONDS)
    resumed = 0
    for mailing in PostMailing.objects.filter(finished_at__isnull=True, created_at__lt=threshold):
        if last_progress(mailing) < threshold and enqueue_batch(mailing.pk):
            resumed += 1
    if resumed:
        logger.warning("Resumed %s stalled mailings", resumed)
    return resumed


def waiting_announcements() -> QuerySet[PostAnnouncement]:
    """Posts announced for the digest and not yet mailed, still live, in the order they went live."""
    return PostAnnouncement.objects.filter(emailed=True, mailing__isnull=True, post__live=True).order_by(
        "went_live_at", "pk"
    )


def start_weekly_digest(today: date | None = None) -> PostMailing | None:
    """On the digest day (in the practice's time zone), mail every waiting post in one digest.

    Locks the waiting announcements, so two runs on the same morning make one digest: the second finds none.
    Uses the default site's settings: subscribers belong to the practice, not to one site.
    """
    today = today or timezone.localdate()
    if today.weekday() != subscription_settings().digest_weekday:
        return None
    with transaction.atomic():
        waiting = list(waiting_announcements().select_for_update(of=("self",)))
        if not waiting:
            return None
        return start_mailing(PostMailing.Kind.DIGEST, waiting)


@dataclass(frozen=True)
class MailingProgress:
    """Where a mailing's messages are in the outbox. `waiting` counts messages not yet sent nor failed; the
    subscribers after the cursor, not yet in the outbox, number about `recipients - stored` (fewer when some
    unsubscribed)."""

    sent: int
    failed: int
    waiting: int

    @property
    def stored(self) -> int:
        return self.sent + self.failed + self.waiting


def mailing_progress(mailings: list[PostMailing]) -> dict[int, MailingProgress]:
    """Sent, failed and waiting counts of each mailing, from the outbox rows under its keys (read only).

    Cost: one aggregate query per mailing over the outbox rows whose key starts with "blog.subscriber." (in
    PostgreSQL a range scan of the key's pattern index, in SQLite a table scan), counted in the database: it
    reads about one row per subscriber per mailing still in the outbox, a few tens of milliseconds at 10,000
    subscribers. For a list of mailings, show a page of them, not all. The
    outbox forgets sent mail after OUTBOX_RETENTION_DAYS, so old mailings show zero: the mailing keeps its
    recipients count.
    """
    counts = {}
    for mailing in mailings:
        rows = Email.objects.filter(
            key__startswith=keys.PREFIX, key__endswith=keys.mailing_suffix(mailing.pk)
        ).aggregate(
            sent=Count("pk", filter=Q(status=Email.Status.SENT)),
            failed=Count("pk", filter=Q(status=Email.Status.FAILED)),
            waiting=Count("pk", filter=Q(status__in=[Email.Status.PENDING, Email.Status.SENDING])),
        )
        counts[mailing.pk] = MailingProgress(**rows)
    return counts
