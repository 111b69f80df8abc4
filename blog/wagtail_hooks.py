"""Admin registration for the blog: the Author snippet."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.models import Author


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
