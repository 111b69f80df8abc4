"""Admin registration for the blog: the Author snippet, the dashboard panel, the import of another blog, and the
email subscriptions (subscribers and mailings, blog.subscriptions.admin)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.dashboard import show_blog_panel
from blog.importing.views import admin_urls as import_admin_urls
from blog.importing.views import settings_menu_item as import_menu_item
from blog.models import Author
from blog.subscriptions.admin import MailingViewSet, SubscriberViewSet


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "credentials"]
    search_fields = ["name", "credentials", "bio"]
    search_backend_name = None  # a handful of rows: search them in the database, no index needed


register_snippet(AuthorViewSet)
register_snippet(SubscriberViewSet)

hooks.register("construct_homepage_panels", show_blog_panel)
hooks.register("register_admin_urls", import_admin_urls)
hooks.register("register_settings_menu_item", import_menu_item)
hooks.register("register_admin_viewset", MailingViewSet)
