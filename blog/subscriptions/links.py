"""The addresses a subscriber is sent: the signed confirmation link and the unsubscribe link (RFC 8058 headers).

The confirmation link signs the subscriber's token with a timestamp, so it expires after
SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS and stops working once the address is deleted (a new subscription gets a new
token). The unsubscribe link carries the token itself: it must keep working for as long as the address is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from blog.models import Subscriber

CONFIRM_SALT = "blog.subscriptions.confirm"


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(subscriber: Subscriber) -> str:
    signed = signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.token)
    return absolute_url(reverse("subscriptions:confirm", args=[signed]))


def token_from_confirmation(signed: str) -> str:
    """The subscriber token in a confirmation link; raises signing.SignatureExpired or signing.BadSignature."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
        signed, max_age=settings.SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("subscriptions:unsubscribe", args=[subscriber.token]))


def unsubscribe_headers(subscriber: Subscriber) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def token_from_old_confirmation(signed: str) -> str:
    """The subscriber token in a confirmation link however old it is; raises signing.BadSignature if tampered.

    Only for telling a reader who opens an expired link that their address is confirmed already."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).unsign(signed)
