"""SITE_URL is the one public address: the default Wagtail Site follows it, and a check warns when they differ."""

from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command
from wagtail.models import Page, Site

from home.models import HomePage
from home.public_address import address_of, check_default_site, derive_initial_site

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://www.practice.example", ("www.practice.example", 443)),
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("http://counseling.example/", ("counseling.example", 80)),
        ("https://practice.example:8443", ("practice.example", 8443)),
    ],
)
def test_an_address_is_the_host_and_the_port_or_the_schemes_default(url, address):
    assert address_of(url) == address


@pytest.mark.parametrize(
    "url", ["", "practice.example", "ftp://practice.example", "https://", "javascript:alert(1)"]
)
def test_anything_but_an_http_or_https_address_is_refused_by_name(url):
    with pytest.raises(ValueError, match="SITE_URL must be an http:// or https:// address"):
        address_of(url)


def wagtail_initial_site() -> Site:
    """The default Site as Wagtail's first migration leaves it on a fresh install."""
    Site.objects.all().delete()
    return Site.objects.create(
        hostname="localhost", port=80, root_page=Page.get_first_root_node(), is_default_site=True
    )


def test_a_fresh_install_takes_its_default_site_from_site_url(settings):
    settings.SITE_URL = "https://www.practice.example"
    site = wagtail_initial_site()

    derive_initial_site()

    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == (
        "www.practice.example",
        443,
        "https://www.practice.example",
    )


def test_a_default_site_the_editor_changed_is_left_alone(settings):
    settings.SITE_URL = "https://www.practice.example"
    site = wagtail_initial_site()
    Site.objects.filter(pk=site.pk).update(hostname="counseling.example")

    derive_initial_site()

    site.refresh_from_db()
    assert (site.hostname, site.port) == ("counseling.example", 80)


def test_migrate_moves_the_initial_site_to_site_url(settings):
    settings.SITE_URL = "https://www.practice.example"
    site = wagtail_initial_site()

    call_command("migrate", verbosity=0, stdout=StringIO())

    site.refresh_from_db()
    assert site.root_url == "https://www.practice.example"


def test_the_demo_gives_canonical_links_and_feeds_the_address_emails_use(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"

    call_command("load_demo_content", stdout=StringIO())

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8000"
    assert HomePage.objects.get().full_url == "http://127.0.0.1:8000/"


def warning_ids(**kwargs) -> list[str]:
    return [message.id for message in check_default_site(databases=["default"], **kwargs)]


def test_the_check_is_quiet_when_the_default_site_is_site_url(settings):
    settings.SITE_URL = "https://www.practice.example"
    wagtail_initial_site()
    derive_initial_site()

    assert warning_ids() == []


def test_the_check_warns_when_the_default_site_and_site_url_disagree(settings):
    settings.SITE_URL = "https://www.practice.example"
    wagtail_initial_site()

    (message,) = check_default_site(databases=["default"])

    assert message.id == "home.W001" and message.level == checks.WARNING
    assert "http://localhost" in message.msg and "https://www.practice.example" in message.msg
    assert "www.practice.example" in message.hint and "443" in message.hint


def test_the_check_warns_that_a_site_cannot_say_https_on_another_port(settings):
    settings.SITE_URL = "https://practice.example:8443"
    site = wagtail_initial_site()
    Site.objects.filter(pk=site.pk).update(hostname="practice.example", port=8443)

    assert warning_ids() == ["home.W002"]


def test_the_check_is_registered_for_database_checks_only(settings):
    settings.SITE_URL = "https://www.practice.example"
    wagtail_initial_site()

    with_database = [m.id for m in checks.run_checks(databases=["default"], tags=[checks.Tags.database])]
    without_database = [m.id for m in checks.run_checks()]

    assert "home.W001" in with_database
    assert "home.W001" not in without_database
