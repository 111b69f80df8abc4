"""Email subscriptions to new posts: the readers' addresses, and each post's one announcement to them.

A reader is an address and nothing else about them: when they asked, when they confirmed (double opt-in), and a
random token that names them in unsubscribe links. Unsubscribing deletes the row.

A post is announced once: its `PostAnnouncement` row is created the first time it goes live, so publishing it
again finds the row and mails nobody. The announcement joins a `PostMailing`, which sends to the confirmed
subscribers in batches (one mailing per post, or one weekly digest for several posts).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

TOKEN_BYTES = 32


def new_subscriber_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Subscriber(models.Model):
    email = models.EmailField(
        unique=True, verbose_name="email address", help_text="Stored in lower case: one row per address."
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_subscriber_token, editable=False, verbose_name="token"
    )
    requested_at = models.DateTimeField(
        default=timezone.now,
        verbose_name="asked to subscribe",
        help_text="When the confirmation email was last asked for; an address never confirmed is deleted once "
        "its link has expired.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name="confirmed")

    class Meta:
        verbose_name = "subscriber"
        verbose_name_plural = "subscribers"
        ordering = ["-confirmed_at", "-pk"]
        indexes = [models.Index(fields=["confirmed_at"], name="blog_subscriber_confirmed")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class PostMailing(models.Model):
    """One sending to every address confirmed when it started, in batches ordered by subscriber id."""

    class Kind(models.TextChoices):
        POST = "post", "New post"
        DIGEST = "digest", "Weekly digest"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST, verbose_name="kind")
    created_at = models.DateTimeField(default=timezone.now, verbose_name="started")
    recipients = models.PositiveIntegerField(
        default=0, verbose_name="recipients", help_text="Confirmed subscribers when the mailing started."
    )
    last_subscriber_id = models.PositiveBigIntegerField(
        default=0,
        verbose_name="last subscriber queued",
        help_text="The batches' cursor: every subscriber up to this id has a message in the outbox.",
    )
    finished_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="queued",
        help_text="When the last batch was handed to the outbox.",
    )

    class Meta:
        verbose_name = "mailing"
        verbose_name_plural = "mailings"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class PostAnnouncement(models.Model):
    """A post's first time live. Its existence is what keeps a republished post from being mailed again."""

    post = models.OneToOneField(
        "blog.BlogPage", on_delete=models.CASCADE, related_name="announcement", verbose_name="post"
    )
    went_live_at = models.DateTimeField(default=timezone.now, verbose_name="first live")
    emailed = models.BooleanField(
        default=True,
        verbose_name="emailed",
        help_text="False when the post was marked not to be emailed, or arrived by import.",
    )
    mailing = models.ForeignKey(
        PostMailing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
        verbose_name="mailing",
        help_text="Empty while the post waits for the weekly digest.",
    )

    class Meta:
        verbose_name = "post announcement"
        verbose_name_plural = "post announcements"
        indexes = [models.Index(fields=["emailed", "mailing"], name="blog_announcement_waiting")]

    def __str__(self) -> str:
        return str(self.post)


@register_setting(icon="mail")
class SubscriptionSettings(BaseSiteSetting):
    class Frequency(models.TextChoices):
        EACH_POST = "each_post", "An email for each new post"
        WEEKLY = "weekly", "A weekly digest of the week's new posts"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    frequency = models.CharField(
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.EACH_POST,
        verbose_name="what subscribers receive",
    )
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        verbose_name="digest day",
        help_text="The weekly digest goes out on this day, in the morning, when there are new posts.",
    )

    class Meta:
        verbose_name = "email subscriptions"

    @classmethod
    def of_site(cls, site) -> SubscriptionSettings:
        """The site's settings, or the defaults while the counselor has never saved them.

        Unlike Wagtail's `for_site`, reading never writes: it would create the row on a post's first publication,
        and saving a site setting renews the frame of every cached page.
        """
        return cls.objects.filter(site=site).first() or cls(site=site)
