from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from blog import signals  # noqa: F401 - connects the blog index's set-up and posts' announcements
