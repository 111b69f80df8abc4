"""The outbox in the admin (Settings > Outbox): staff see what was sent, to whom, and what is stuck, read-only.

Only the outbox writes to it, so nobody may add, edit or delete a row here, superusers included. The bodies are
never shown: a password reset link in them would let anyone who can read the outbox take over that account.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet

from site_project.outbox.models import Email


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Grants "view" as Django's permissions say, and nothing else to anyone."""

    def user_has_permission(self, user, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


register_permission_policy(Email, ViewOnlyPermissionPolicy(Email))


class OutboxInspectView(InspectView):
    """Addresses as a list, times in the admin's time zone like the listing, a dash for nothing yet."""

    def get_field_display_value(self, field_name: str, field):
        value = getattr(self.object, field_name)
        if isinstance(value, list):
            return ", ".join(value) or "—"
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if value is None or value == "":
            return "—"
        return super().get_field_display_value(field_name, field)


class OutboxViewSet(SnippetViewSet):
    model = Email
    icon = "mail"
    menu_label = "Outbox"
    menu_name = "outbox"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = OutboxInspectView
    list_display = [
        "subject",
        Column("recipients", label="To", accessor=lambda email: ", ".join(email.recipients)),
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status"]
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    inspect_view_fields = [
        "subject",
        "from_email",
        "to",
        "cc",
        "reply_to",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "key",
    ]


register_snippet(OutboxViewSet)
