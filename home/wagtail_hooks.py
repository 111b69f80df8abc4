"""Wagtail hooks of the home app; each feature keeps its hooks in its own module."""

from home.two_factor import hooks as two_factor_hooks  # noqa: F401
