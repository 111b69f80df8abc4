"""Apply the editorial set-up to a blog index as soon as one is created (see blog.editorial), announce a post to
its subscribers the first time it is published (see blog.subscriptions.sending), and delete a subscriber's stored
mail with the subscriber, however the address is deleted (unsubscribing, the admin's delete and bulk delete)."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from blog.editorial import set_up_blog_index
from blog.models import BlogIndexPage, BlogPage, Subscriber
from blog.subscriptions.keys import subscriber_prefix
from blog.subscriptions.sending import announce
from site_project.outbox import services as outbox


@receiver(post_save, sender=BlogIndexPage, dispatch_uid="blog-index-editorial-setup")
def set_up_new_blog_index(
    sender, instance: BlogIndexPage, created: bool, raw: bool = False, **kwargs
) -> None:
    if created and not raw:
        set_up_blog_index(apps, instance.pk)


@receiver(page_published, sender=BlogPage, dispatch_uid="blog-post-announce")
def announce_published_post(sender, instance: BlogPage, **kwargs) -> None:
    announce(instance)


@receiver(post_delete, sender=Subscriber, dispatch_uid="blog-subscriber-forget-mail")
def forget_subscriber_mail(sender, instance: Subscriber, **kwargs) -> None:
    # In the deleting transaction: a message still pending for an address that left is never sent.
    outbox.discard_prefixed(subscriber_prefix(instance.pk))
