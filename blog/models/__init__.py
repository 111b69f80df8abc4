from .authors import Author
from .imports import BlogImport, ImportedPost
from .pages import BlogIndexPage, BlogPage, BlogPageTag

__all__ = ["Author", "BlogImport", "BlogIndexPage", "BlogPage", "BlogPageTag", "ImportedPost"]
