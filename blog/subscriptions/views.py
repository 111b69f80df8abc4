"""The reader's pages: subscribe, check your inbox, confirm, unsubscribe; and the start token for cached forms.

None of these responses is cached (`never_cache`): each shows one visitor's address, token or fresh start token.
The page cache (home/page_cache.py) stores only responses that do not say so.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from blog.models import BlogIndexPage, Subscriber
from blog.subscriptions import links, services
from blog.subscriptions.emails import what_subscribers_get
from blog.subscriptions.forms import SUBSCRIBE_FORM, SubscribeForm
from home.models import PracticeSettings

logger = logging.getLogger(__name__)


def masked_address(email: str) -> str:
    """Enough of the address for its owner to recognise it, not enough for someone looking over a shoulder:
    "ana.lima@example.org" shows as "a•••@e•••.org"."""
    local, _, domain = email.partition("@")
    name, dot, suffix = domain.rpartition(".")
    shown_domain = f"{name[:1]}•••{dot}{suffix}" if name else f"{domain[:1]}•••"
    return f"{local[:1]}•••@{shown_domain}"


def link_valid_for() -> str:
    """How long a confirmation link works, in words ("3 days")."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=settings.SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS), now)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """GET shows the subscribe form; POST asks for a subscription and redirects to "check your inbox".

    Exempt from CSRF on purpose. The embedded form lives in pages the page cache serves to everyone, which cannot
    carry a per-visitor CSRF token (nor set its cookie, which would make them uncacheable). A forged POST gains an
    attacker nothing: double opt-in means it only sends the address's owner a confirmation to ignore, and the
    rate limit bounds how many. Whether an address is subscribed is never shown on the page, only in its inbox.
    """
    if request.method != "POST":
        return TemplateResponse(request, "blog/subscriptions/subscribe.html", {"form": SubscribeForm()})
    if SUBSCRIBE_FORM.hit_rate_limit(request):
        logger.warning("Subscribe form refused: rate limit reached")
        return TemplateResponse(request, "429.html", status=429)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        if form.spam_reason:
            logger.info("Subscribe form sent back (%s)", form.spam_reason)
        return TemplateResponse(request, "blog/subscriptions/subscribe.html", {"form": form})
    services.subscribe(email=form.cleaned_data["email"], practice=PracticeSettings.for_request(request))
    return redirect("subscriptions:sent")


@never_cache
@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "blog/subscriptions/sent.html", {"link_valid_for": link_valid_for()})


@never_cache
@require_GET
def token(request: HttpRequest) -> JsonResponse:
    """A fresh start token for a form embedded in a cached page, fetched when the visitor starts on it."""
    return JsonResponse({"token": SUBSCRIBE_FORM.make_started_token()})


@never_cache
@require_GET
def confirm(request: HttpRequest, signed: str) -> HttpResponse:
    """The confirmation link. Opening it twice says so, on the same happy page, even once the link has expired;
    an expired link of an address not confirmed offers the form again; a tampered link, or one whose address was
    since deleted, says the link does not work (404)."""
    expired = False
    try:
        subscriber_token = links.token_from_confirmation(signed)
    except signing.SignatureExpired:
        expired = True
        subscriber_token = links.token_from_old_confirmation(signed)
    except signing.BadSignature:
        subscriber_token = None
    subscriber = Subscriber.objects.filter(token=subscriber_token).first() if subscriber_token else None
    if expired and (subscriber is None or not subscriber.is_confirmed):
        return TemplateResponse(
            request,
            "blog/subscriptions/confirm_expired.html",
            {"form": SubscribeForm(), "link_valid_for": link_valid_for()},
        )
    if subscriber is None:
        return TemplateResponse(request, "blog/subscriptions/confirm_invalid.html", status=404)
    newly_confirmed = services.confirm(subscriber)
    return TemplateResponse(
        request,
        "blog/subscriptions/confirmed.html",
        {
            "already_confirmed": not newly_confirmed,
            "what_subscribers_get": what_subscribers_get(PracticeSettings.for_request(request)),
            "blog_index": BlogIndexPage.objects.live().public().first(),
        },
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners follow links, so a GET never deletes); POST deletes the address and its emails.

    Exempt from CSRF: mail clients send RFC 8058's one-click POST ("List-Unsubscribe=One-Click") without
    cookies, and the token in the address is itself the secret a forged request would need. Answers 200 to a
    token that names nobody (already unsubscribed), so a mail client's retry gets a calm answer.
    """
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        return TemplateResponse(request, "blog/subscriptions/not_subscribed.html")
    if request.method != "POST":
        return TemplateResponse(
            request,
            "blog/subscriptions/unsubscribe.html",
            {"masked_email": masked_address(subscriber.email)},
        )
    subscriber.delete()  # and, through blog.signals, every email stored for it, sent or pending
    return TemplateResponse(request, "blog/subscriptions/unsubscribed.html")
