"""Apply the editorial set-up to a blog index as soon as one is created (see blog.workflow)."""

from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver

from blog.models import BlogIndexPage
from blog.workflow import assign_to_blog_index


@receiver(post_save, sender=BlogIndexPage, dispatch_uid="blog-index-editorial-setup")
def set_up_new_blog_index(
    sender, instance: BlogIndexPage, created: bool, raw: bool = False, **kwargs
) -> None:
    if created and not raw:
        assign_to_blog_index(apps, instance.pk)
