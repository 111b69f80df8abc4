"""SITE_URL is the site's one public address; the default Wagtail Site is derived from it.

Wagtail builds canonical links, og:url, feed and sitemap links from the Site record's hostname and port, while
emails and the admin use SITE_URL. If the two disagree, a feed reader or a search engine gets dead links. So a
fresh install's default Site (Wagtail creates it as localhost:80) and the demo's take their address from SITE_URL,
and the `home.W001` system check warns when they disagree later (it runs with `migrate` and with
`manage.py check --database default`). A Site can only describe https on port 443: Wagtail writes any other port
as http://host:port, which `home.W002` reports.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from wagtail.models import Site

WAGTAIL_INITIAL_ADDRESS = ("localhost", 80)


def address_of(url: str) -> tuple[str, int]:
    """(hostname, port) of an http(s) URL, with the scheme's default port when none is written."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"SITE_URL must be an http:// or https:// address, not {url!r}")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def public_address() -> tuple[str, int]:
    return address_of(settings.SITE_URL)


def apply_public_address(site: Site) -> None:
    """Give `site` SITE_URL's hostname and port (the caller saves it)."""
    site.hostname, site.port = public_address()


def derive_initial_site(using: str = "default", **kwargs) -> None:
    """post_migrate: the default Site still at Wagtail's initial localhost:80 moves to SITE_URL's address. A Site an
    editor has changed is left alone (the check reports any disagreement instead)."""
    hostname, port = public_address()
    sites = Site.objects.using(using)
    if (hostname, port) == WAGTAIL_INITIAL_ADDRESS or sites.filter(hostname=hostname, port=port).exists():
        return
    sites.filter(
        is_default_site=True, hostname=WAGTAIL_INITIAL_ADDRESS[0], port=WAGTAIL_INITIAL_ADDRESS[1]
    ).update(hostname=hostname, port=port)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    hostname, port = address_of(url)
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{hostname}" + ("" if port == default else f":{port}")


def check_default_site(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when the default Site's address (Site.root_url) is not SITE_URL's."""
    if not databases or "default" not in databases:
        return []
    try:
        expected = _origin(settings.SITE_URL)
    except ValueError as error:
        return [checks.Error(str(error), id="home.E001")]
    hostname, port = public_address()
    derived = Site(hostname=hostname, port=port).root_url
    messages: list[checks.CheckMessage] = []
    if derived != expected:
        messages.append(
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL}, but a Wagtail Site can only describe https on port 443: "
                f"canonical links and feeds would say http://{hostname}:{port}.",
                hint="Serve https on port 443 (the TLS terminator in docker-compose.yml does).",
                id="home.W002",
            )
        )
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # before the first migration
        return messages
    if site is not None and site.root_url != derived:
        messages.append(
            checks.Warning(
                f"The default Wagtail Site is {site.root_url} but SITE_URL is {settings.SITE_URL}: canonical links, "
                "og:url and feeds use the Site, emails use SITE_URL.",
                hint=f"In the editor, Settings > Sites: set the default site's hostname to {hostname} and its port "
                f"to {port}, or correct SITE_URL.",
                id="home.W001",
            )
        )
    return messages
