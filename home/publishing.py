"""Publishing in the page editor, in the counselor's words: Publish first for whoever may publish, review for the
other writers, and one clear approve action for the reviewer.

Wagtail's default menu puts "Save draft" first for everyone, offers a publisher "Submit to <workflow>" (so the
counselor could send her own post to her own review) and shows a reviewer both "Publish" and "Approve and
Publish". The hooks below reorder that menu (`construct_page_action_menu`) and, after an approval that
published the page, say so instead of Wagtail's "has been updated" (`after_edit_page`).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page

PUBLISH = "action-publish"
SUBMIT = "action-submit"
SAVE_DRAFT = "action-save-draft"
APPROVE = "approve"
APPROVE_LABEL = "Approve and publish"
APPROVE_AND_SCHEDULE_LABEL = "Approve and schedule"


def _take(items: list[ActionMenuItem], name: str) -> ActionMenuItem | None:
    for index, item in enumerate(items):
        if item.name == name:
            return items.pop(index)
    return None


def _is_scheduled(page: Page | None) -> bool:
    return bool(page and page.go_live_at and page.go_live_at > timezone.now())


def arrange_action_menu(menu_items: list[ActionMenuItem], request: HttpRequest, context: dict) -> None:
    """Put the action the user most likely wants first; the first item becomes the editor's main button.

    - Reviewing a submission: "Approve and publish" (or "... and schedule") is the main button and the plain
      "Publish" goes, since approving publishes.
    - Anyone who may publish: "Publish" (Wagtail labels it "Schedule to publish" when a go-live date is set)
      is the main button and "Submit to <workflow>" goes: a publisher's own post needs no review.
    - Anyone else (an assistant, a guest author): unchanged, "Save draft" first and "Submit" in the menu.
    """
    approve = _take(menu_items, APPROVE)
    if approve is not None:
        scheduled = _is_scheduled(context.get("page"))
        approve.label = APPROVE_AND_SCHEDULE_LABEL if scheduled else APPROVE_LABEL
        for with_comment in (item for item in menu_items if item.name == APPROVE):
            with_comment.label = (
                f"{APPROVE_AND_SCHEDULE_LABEL if scheduled else APPROVE_LABEL} with a comment"
            )
        _take(menu_items, PUBLISH)
        _take(menu_items, SUBMIT)
        menu_items.insert(0, approve)
        return
    publish = _take(menu_items, PUBLISH)
    if publish is not None:
        _take(menu_items, SUBMIT)
        menu_items.insert(0, publish)


def approval_published(request: HttpRequest, page: Page) -> bool:
    """True when this edit request was an approval that ended the page's workflow."""
    return (
        request.method == "POST"
        and bool(request.POST.get("action-workflow-action"))
        and request.POST.get("workflow-action-name") == APPROVE
        and page.current_workflow_state is None
    )


def scheduled_go_live(page: Page) -> datetime | None:
    """When the page's approved, scheduled revision goes live, or None when nothing is scheduled."""
    return (
        page.revisions.filter(approved_go_live_at__isnull=False)
        .values_list("approved_go_live_at", flat=True)
        .first()
    )


def local_datetime_text(moment: datetime) -> str:
    return date_format(timezone.localtime(moment, timezone.get_default_timezone()), "DATETIME_FORMAT")


def approval_message(page: Page) -> str:
    title = page.get_admin_display_title()
    go_live = scheduled_go_live(page)
    if go_live is not None:
        return f"“{title}” is approved and will be published on {local_datetime_text(go_live)}."
    return f"“{title}” is approved and published on the site."


def announce_approval(request: HttpRequest, page: Page) -> None:
    """Replace Wagtail's "Page '...' has been updated." with what the approval did.

    Iterating the message storage marks the queued messages as read, so only the new message is shown.
    """
    if not approval_published(request, page):
        return
    for _ in messages.get_messages(request):
        pass
    messages.success(request, approval_message(page))
