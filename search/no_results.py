"""What the search page offers when nothing matched: the newest posts and the way to contact the practice.

Both apps are optional and looked up lazily (`django.apps.apps.get_model`), so search depends on neither blog nor
booking.
"""

from __future__ import annotations

from django.apps import apps
from wagtail.models import Page

from search.visibility import Findable


def recent_posts(findable: Findable, *, count: int = 3) -> list[Page]:
    """The newest findable blog posts, if the blog app is installed; otherwise none."""
    try:
        post_model = apps.get_model("blog", "BlogPage")
    except LookupError:
        return []
    posts = post_model.objects.filter(pk__in=findable.pages.values("pk"))
    ordering = ["-date"] if any(f.name == "date" for f in post_model._meta.get_fields()) else []
    return list(posts.order_by(*ordering, "-first_published_at", "-pk")[:count])


def contact_page(findable: Findable) -> Page | None:
    """The practice's contact page, if the booking app is installed and one is findable."""
    try:
        contact_model = apps.get_model("booking", "ContactPage")
    except LookupError:
        return None
    return contact_model.objects.filter(pk__in=findable.pages.values("pk")).order_by("path").first()
