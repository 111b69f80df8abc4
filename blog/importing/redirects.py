"""Keep the old blog's addresses working: a permanent redirect from an item's old path to its new post."""

from __future__ import annotations

from urllib.parse import urlsplit

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site


def old_path(link: str) -> str:
    """The path (and query, for WordPress's `/?p=12`) of an old address, normalised as Wagtail stores it."""
    parts = urlsplit(link)
    if not parts.path.strip("/") and not parts.query:
        return ""
    return Redirect.normalise_path(parts.path + (f"?{parts.query}" if parts.query else ""))


def redirect_old_address(*, link: str, page: Page, site: Site | None) -> str:
    """Add the redirect; the warning to report when it could not be added, else ""."""
    path = old_path(link)
    if not path:
        return ""
    if path == Redirect.normalise_path(page.get_url_parts()[2] if page.get_url_parts() else ""):
        return ""  # the post lives at its old address already
    existing = Redirect.objects.filter(old_path=path, site=site).first()
    if existing is None:
        Redirect.add_redirect(path, redirect_to=page, is_permanent=True, site=site)
        return ""
    if existing.redirect_page_id == page.pk:
        return ""
    return f"The old address {path} already redirects elsewhere; that redirect was left as it is."
