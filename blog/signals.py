"""Apply the editorial set-up to a blog index as soon as one is created (see blog.editorial)."""

from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver

from blog.editorial import set_up_blog_index
from blog.models import BlogIndexPage


@receiver(post_save, sender=BlogIndexPage, dispatch_uid="blog-index-editorial-setup")
def set_up_new_blog_index(
    sender, instance: BlogIndexPage, created: bool, raw: bool = False, **kwargs
) -> None:
    if created and not raw:
        set_up_blog_index(apps, instance.pk)
