from .authors import Author
from .pages import BlogIndexPage, BlogPage, BlogPageTag

__all__ = ["Author", "BlogIndexPage", "BlogPage", "BlogPageTag"]
