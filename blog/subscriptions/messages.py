"""The emails of a mailing: one new post, or the weekly digest of several, rendered from templates/emails/.

A mailing goes to thousands of subscribers with the same words; only the unsubscribe link differs. So the
templates are rendered once for a batch of subscribers (`render_mailing`, called by each batch of
blog.subscriptions.sending: 20 renders for 10,000 subscribers, none per subscriber) with a placeholder where the
link goes, and each subscriber's message (`MailingContent.message_for`) is the rendered text with their own link
put in its place, plus the one-click unsubscribe headers (RFC 8058). `new_post` extends `digest`: one post is a
digest of one with its own opening line.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Site

from blog.models import BlogPage, PostMailing, Subscriber
from blog.rendering import absolute_url
from blog.subscriptions import links
from home.models import PracticeSettings

# Twice the email's 36rem column, so the image stays sharp on high-density screens.
HERO_RENDITION = "width-1200"
# Stands where each subscriber's unsubscribe link goes; plain letters, so HTML escaping leaves it as it is.
UNSUBSCRIBE_PLACEHOLDER = "UNSUBSCRIBE0URL0PLACEHOLDER"


@dataclass(frozen=True)
class PostTeaser:
    """What an email shows of a post; every URL absolute on SITE_URL."""

    title: str
    summary: str
    url: str
    image_url: str
    image_alt: str


@dataclass(frozen=True)
class MailingContent:
    """A mailing's subject and bodies, rendered once, waiting for each subscriber's unsubscribe link."""

    subject: str
    text: str
    html: str

    def message_for(self, subscriber: Subscriber) -> EmailMultiAlternatives:
        unsubscribe_url = links.unsubscribe_url(subscriber)
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={**links.unsubscribe_headers(subscriber), "Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(
            self.html.replace(UNSUBSCRIBE_PLACEHOLDER, escape(unsubscribe_url)), "text/html"
        )
        return message


def site_address(path: str) -> str:
    return absolute_url(path, settings.SITE_URL)


def post_teaser(post: BlogPage) -> PostTeaser:
    url_parts = post.get_url_parts()
    image = post.hero_image
    return PostTeaser(
        title=post.title,
        summary=post.summary,
        url=site_address(url_parts[2] if url_parts else "/"),
        image_url=site_address(image.get_rendition(HERO_RENDITION).url) if image else "",
        image_alt=post.hero_alt_text,
    )


def mailing_posts(mailing: PostMailing) -> list[BlogPage]:
    """The mailing's posts still live, in the order they went live."""
    return [
        announcement.post
        for announcement in mailing.announcements.filter(post__live=True)
        .select_related("post__hero_image")
        .order_by("went_live_at", "pk")
    ]


def render_mailing(mailing: PostMailing) -> MailingContent | None:
    """Render the mailing's email once, in the practice's time zone, with the unsubscribe link left open.

    None when none of its posts is live any more: a post taken down while it was being mailed is not mailed on.
    """
    posts = [post_teaser(post) for post in mailing_posts(mailing)]
    if not posts:
        return None
    site = Site.objects.filter(is_default_site=True).first()
    practice = PracticeSettings.for_site(site) if site else PracticeSettings()
    if mailing.kind == PostMailing.Kind.DIGEST:
        template, subject = "emails/digest", f"New posts from {practice.practice_name}"
    else:
        template, subject = "emails/new_post", posts[0].title
    context = {
        "subject": subject,
        "posts": posts,
        "practice": practice,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
    }
    with timezone.override(settings.TIME_ZONE):
        return MailingContent(
            subject=" ".join(subject.split()),
            text=render_to_string(f"{template}.txt", context),
            html=render_to_string(f"{template}.html", context),
        )
