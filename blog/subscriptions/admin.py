"""The subscriptions in the admin: the subscribers' addresses and the mailings' progress, for the counselor only.

Addresses are personal data the counselor is responsible for: only the Counselor group (and superusers) may see,
export or delete them, by a permission policy rather than permissions granted in the group editor, so no editor
can be given them by mistake. Nobody adds or edits an address in the admin: readers subscribe and confirm it
themselves. Deleting a subscriber also deletes the mail stored for them (blog.signals).

The mailings list shows, for each post or digest sent, how many messages were sent, failed or are waiting in the
outbox (blog.subscriptions.sending.mailing_progress).
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q, QuerySet
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.models import PostMailing, Subscriber
from blog.subscriptions.sending import mailing_progress
from home.spreadsheet_export import FormulaEscapingExportMixin
from site_project.accounts.groups import COUNSELOR

COUNSELOR_CACHE_ATTRIBUTE = "_blog_subscriptions_is_counselor"
CONFIRMED = "confirmed"
UNCONFIRMED = "unconfirmed"


def is_counselor(user) -> bool:
    """An active superuser or member of the Counselor group; remembered on the user object (one request)."""
    if not user.is_active:
        return False
    if not hasattr(user, COUNSELOR_CACHE_ATTRIBUTE):
        found = user.is_superuser or user.groups.filter(name=COUNSELOR).exists()
        setattr(user, COUNSELOR_CACHE_ATTRIBUTE, found)
    return getattr(user, COUNSELOR_CACHE_ATTRIBUTE)


class CounselorOnlyPolicy(BasePermissionPolicy):
    """Only the counselor (is_counselor) may perform `actions` on the model; nobody may do anything else."""

    def __init__(self, model, actions: set[str]) -> None:
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action: str) -> bool:
        return action in self.actions and is_counselor(user)

    def users_with_any_permission(self, actions) -> QuerySet:
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions & set(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=COUNSELOR)).distinct()


subscriber_policy = CounselorOnlyPolicy(Subscriber, {"view", "delete"})
mailing_policy = CounselorOnlyPolicy(PostMailing, {"view"})
# Registered before the viewsets, which then use these policies instead of model permissions.
register_permission_policy(Subscriber, subscriber_policy, exact_class=True)
register_permission_policy(PostMailing, mailing_policy, exact_class=True)


def subscriber_counts() -> dict[str, int]:
    return Subscriber.objects.aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )


def subscriber_counts_text(counts: dict[str, int]) -> str:
    return f"{counts['confirmed']} confirmed, {counts['unconfirmed']} not confirmed yet"


class SubscribersMenuItem(MenuItem):
    """The menu entry, for the counselor only, with the number of confirmed subscribers: "Subscribers (120)"."""

    def is_shown(self, request) -> bool:
        return subscriber_policy.user_has_permission(request.user, "view")

    def render_component(self, request):
        count = Subscriber.objects.filter(confirmed_at__isnull=False).count()
        return LinkMenuItem(
            self.name,
            f"{self.label} ({count})",
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class SubscriberFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(CONFIRMED, "Confirmed"), (UNCONFIRMED, "Not confirmed yet")],
        empty_label="All",
        method="filter_status",
    )

    class Meta:
        model = Subscriber
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Subscriber], name: str, value: str) -> QuerySet[Subscriber]:
        return queryset.filter(confirmed_at__isnull=value != CONFIRMED)


class SubscriberIndexView(FormulaEscapingExportMixin, SnippetIndexView):
    """The addresses, with the number confirmed and unconfirmed above the list."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["subscriber_counts"] = subscriber_counts_text(subscriber_counts())
        return context


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Subscribers"
    menu_name = "subscribers"
    menu_item_class = SubscribersMenuItem
    menu_order = 240
    add_to_admin_menu = True
    index_view_class = SubscriberIndexView
    index_template_name = "blog/admin/subscriber_index.html"
    list_display = [
        "email",
        StatusTagColumn(
            "confirmed_at",
            label="Confirmed",
            accessor=lambda subscriber: "Confirmed" if subscriber.is_confirmed else "Not confirmed yet",
            primary=lambda subscriber: subscriber.is_confirmed,
            sort_key="confirmed_at",
        ),
        DateColumn("requested_at", label="Asked to subscribe"),
    ]
    filterset_class = SubscriberFilterSet
    search_fields = ["email"]
    search_backend_name = None  # addresses are not put in the search index: search them in the database
    list_export = ["email", "confirmed_at"]
    export_headings = {"email": "Address", "confirmed_at": "Confirmed"}
    export_filename = "subscribers"
    list_per_page = 50
    copy_view_enabled = False

    def get_permissions_to_register(self):
        # The policy decides, not the group editor's checkboxes: show none for subscribers there.
        return Permission.objects.none()


class MailingIndexView(IndexView):
    """Each mailing with its posts and where its messages are: sent, failed, waiting in the outbox."""

    def get_base_queryset(self) -> QuerySet[PostMailing]:
        return super().get_base_queryset().prefetch_related("announcements__post")

    def get_table(self, object_list):
        mailings = list(object_list)
        progress = mailing_progress(mailings)
        for mailing in mailings:
            mailing.progress = progress[mailing.pk]
        return super().get_table(mailings)

    @cached_property
    def columns(self) -> list[Column]:
        return [
            Column(
                "posts",
                label="Posts",
                accessor=lambda mailing: (
                    ", ".join(a.post.title for a in mailing.announcements.all()) or "Posts since deleted"
                ),
            ),
            Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
            NumberColumn("recipients", label="Recipients"),
            NumberColumn("sent", label="Sent", accessor="progress.sent"),
            NumberColumn("failed", label="Failed", accessor="progress.failed"),
            NumberColumn("waiting", label="Waiting", accessor="progress.waiting"),
            DateColumn("created_at", label="Started", sort_key="created_at"),
            DateColumn("finished_at", label="All queued", sort_key="finished_at"),
        ]


class MailingViewSet(ModelViewSet):
    model = PostMailing
    icon = "mail"
    menu_label = "Mailings"
    menu_name = "mailings"
    url_prefix = "subscriptions/mailings"
    name = "mailings"
    index_view_class = MailingIndexView
    menu_order = 241
    add_to_admin_menu = True
    list_filter = ["kind"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 20  # each row counts its messages in the outbox: one query per mailing
    copy_view_enabled = False
    form_fields: list[str] = []  # ModelViewSet requires a form definition; no add or edit view is offered

    def get_common_view_kwargs(self, **kwargs) -> dict:
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
        }

    def get_urlpatterns(self) -> list:
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name in {"index", "index_results"}
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()
