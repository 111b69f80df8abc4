"""The "email this post to subscribers" box in the post editor, which also tells how the post's email went.

Before the post's first publication the box decides whether it is emailed. After it, ticking the box changes
nothing (a post is emailed once), so its help text says instead what happened: not emailed, waiting for the
weekly digest, or the mailing's progress (sent, failed, waiting).

Models are imported when a panel is bound, not here: blog.models.pages imports this module.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.panels import FieldPanel


def announcement_status(post_id: int | None) -> str:
    """What happened to the post's email, in a sentence; "" for a post never published."""
    from blog.models import PostAnnouncement
    from blog.subscriptions.sending import mailing_progress

    announcement = (
        PostAnnouncement.objects.filter(post_id=post_id).select_related("mailing").first()
        if post_id
        else None
    )
    if announcement is None:
        return ""
    if not announcement.emailed:
        return "Not emailed: this post went live marked not to be emailed, or was imported."
    mailing = announcement.mailing
    if mailing is None:
        return "Waiting for the next weekly digest."
    progress = mailing_progress([mailing])[mailing.pk]
    started = date_format(timezone.localtime(mailing.created_at), "DATETIME_FORMAT")
    return (
        f"Emailed to {mailing.recipients} subscribers ({mailing.get_kind_display().lower()}, started "
        f"{started}): {progress.sent} sent, {progress.failed} failed, {progress.waiting} waiting."
    )


class EmailSubscribersPanel(FieldPanel):
    """FieldPanel("email_subscribers") whose help text becomes the post's email status once it went live."""

    def __init__(self, field_name: str = "email_subscribers", **kwargs) -> None:
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            status = announcement_status(self.instance.pk)
            if status:
                self.help_text = status
