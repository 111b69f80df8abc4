from .authors import Author
from .imports import BlogImport, ImportedPost
from .pages import BlogIndexPage, BlogPage, BlogPageTag
from .subscriptions import PostAnnouncement, PostMailing, Subscriber, SubscriptionSettings

__all__ = [
    "Author",
    "BlogImport",
    "BlogIndexPage",
    "BlogPage",
    "BlogPageTag",
    "ImportedPost",
    "PostAnnouncement",
    "PostMailing",
    "Subscriber",
    "SubscriptionSettings",
]
