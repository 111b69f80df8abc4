"""The emails a reader gets for subscribing, rendered from templates/emails/subscription_confirm.{txt,html}.

A new or still unconfirmed address gets the confirmation link. An address already confirmed gets a short note
that it is subscribed, with the unsubscribe link: the subscribe page says the same "check your inbox" either way,
so only the owner of the mailbox learns whether the address is on the list.

Both carry the one-click unsubscribe headers (RFC 8058) and the unsubscribe link in the footer; `services` hands
them to the outbox under the keys of `keys`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from blog.models import Subscriber, SubscriptionSettings
from blog.subscriptions import links
from home.models import PracticeSettings


def what_subscribers_get(practice: PracticeSettings) -> str:
    """The practice's choice in Settings > Email subscriptions, in words that finish "you get ..."."""
    frequency = SubscriptionSettings.of_site(practice.site).frequency
    if frequency == SubscriptionSettings.Frequency.WEEKLY:
        return "one email a week when there are new posts"
    return "an email when a new post is published"


def link_expires_at(subscriber: Subscriber) -> datetime:
    return subscriber.requested_at + timedelta(seconds=settings.SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS)


def build_subscription_email(subscriber: Subscriber, practice: PracticeSettings) -> EmailMultiAlternatives:
    """The confirmation email, or for a confirmed address the "you are already subscribed" note; times are in
    the practice's zone (settings.TIME_ZONE)."""
    already_subscribed = subscriber.is_confirmed
    if already_subscribed:
        subject = f"You already get new posts from {practice.practice_name}"
    else:
        subject = f"Please confirm: new posts from {practice.practice_name} by email"
    context = {
        "subject": " ".join(subject.split()),
        "practice": practice,
        "already_subscribed": already_subscribed,
        "what_subscribers_get": what_subscribers_get(practice),
        "confirm_url": "" if already_subscribed else links.confirm_url(subscriber),
        "requested_at": subscriber.requested_at,
        "expires_at": link_expires_at(subscriber),
        "unsubscribe_url": links.unsubscribe_url(subscriber),
        "site_url": settings.SITE_URL,
    }
    with timezone.override(settings.TIME_ZONE):
        text = render_to_string("emails/subscription_confirm.txt", context)
        html = render_to_string("emails/subscription_confirm.html", context)
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={**links.unsubscribe_headers(subscriber), "Auto-Submitted": "auto-replied"},
    )
    message.attach_alternative(html, "text/html")
    return message
