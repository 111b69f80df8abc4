"""One rule decides what the public sees (home.visibility.public_pages), and every public list follows it.

A draft, a page scheduled to go live later, an expired page (before publish_scheduled takes it down) and a page
under a password, login or group restriction (its own or an ancestor's) stay out of the main menu, the sitemap,
search, suggestions and promotions, whatever page type it is; the blog's lists are covered in test_blog_leaks.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction

from home.models import StandardPage
from home.visibility import public_pages
from tests.factories import make_standard_page, publish

pytestmark = pytest.mark.django_db

HIDDEN_KINDS = ["draft", "scheduled", "expired", "password", "login", "group", "under a private parent"]


def hidden_page(kind: str, home) -> StandardPage:
    """A "Marigold" page in the menu that the public must not see, for one reason."""
    now = timezone.now()
    title = f"Marigold {kind}"
    if kind == "draft":
        return make_standard_page(home, title=title, show_in_menus=True, live=False)
    if kind == "scheduled":
        page = make_standard_page(home, title=title, show_in_menus=True, live=False)
        page.go_live_at = now + datetime.timedelta(days=1)
        page.save_revision().publish()
        page.refresh_from_db()
        assert not page.live
        return page
    if kind == "expired":
        page = make_standard_page(home, title=title, show_in_menus=True)
        StandardPage.objects.filter(pk=page.pk).update(expire_at=now - datetime.timedelta(minutes=1))
        return page
    if kind == "under a private parent":
        parent = make_standard_page(home, title="Members", show_in_menus=False)
        PageViewRestriction.objects.create(page=parent, restriction_type=PageViewRestriction.LOGIN)
        return make_standard_page(parent, title=title, show_in_menus=True)
    page = make_standard_page(home, title=title, show_in_menus=True)
    restriction_type = {
        "password": PageViewRestriction.PASSWORD,
        "login": PageViewRestriction.LOGIN,
        "group": PageViewRestriction.GROUPS,
    }[kind]
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password="x"
    )
    if kind == "group":
        restriction.groups.add(Group.objects.create(name="Clients"))
    return page


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_the_rule_lets_through_only_live_unexpired_unrestricted_pages(home_page, kind):
    shown = make_standard_page(home_page, title="Marigold lasting")
    StandardPage.objects.filter(pk=shown.pk).update(expire_at=timezone.now() + datetime.timedelta(days=1))
    hidden = hidden_page(kind, home_page)

    marigolds = Page.objects.filter(title__startswith="Marigold")
    public = public_pages(marigolds)
    public = set(public.values_list("pk", flat=True))

    assert public == {shown.pk}
    assert hidden.pk not in public


def test_with_no_restriction_anywhere_every_live_page_is_kept(home_page):
    make_standard_page(home_page, title="Marigold one")
    make_standard_page(home_page, title="Marigold two")
    marigolds = Page.objects.filter(title__startswith="Marigold")

    assert public_pages(marigolds).count() == 2


def test_the_rule_judges_expiry_at_the_moment_it_is_given(home_page):
    page = make_standard_page(home_page, title="Marigold until noon")
    noon = timezone.now() + datetime.timedelta(hours=2)
    StandardPage.objects.filter(pk=page.pk).update(expire_at=noon)
    pages = Page.objects.filter(pk=page.pk)

    assert public_pages(pages, now=noon - datetime.timedelta(seconds=1)).exists()
    assert not public_pages(pages, now=noon).exists()


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_a_hidden_page_reaches_no_menu_sitemap_search_suggestion_or_promotion(client, home_page, kind):
    shown = make_standard_page(home_page, title="Marigold garden", show_in_menus=True)
    hidden = hidden_page(kind, home_page)
    query = Query.get("marigold")
    for page in (hidden, shown):
        SearchPromotion.objects.create(query=query, page=page, description="Picked")
    publish(home_page)

    menu = client.get("/").content.decode().split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    sitemap = client.get("/sitemap.xml").content.decode()
    search = client.get("/search/", {"query": "marigold"})
    suggested = client.get("/search/suggest/", {"query": "marigold"}).json()["results"]

    assert "Marigold garden" in menu and hidden.title not in menu
    assert shown.full_url in sitemap and hidden.full_url not in sitemap
    assert [promotion.title for promotion in search.context["outcome"].promotions] == ["Marigold garden"]
    assert [hit.page.title for hit in search.context["hits"]] == []  # the only match is promoted, shown once
    assert [item["title"] for item in suggested] == ["Marigold garden"]
