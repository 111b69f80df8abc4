"""Helpers that build pages and objects with sensible defaults; keyword arguments override any field."""

from wagtail.models import Page, Site

from home.models import HomePage, PracticeSettings, StandardPage


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_home_page(**fields) -> HomePage:
    existing = HomePage.objects.first()
    if existing:
        return existing
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).exclude(content_type__model="homepage").delete()
    home = HomePage(title=fields.pop("title", "Test practice"), slug="home", **fields)
    root.add_child(instance=home)
    publish(home)
    site, _ = Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "Test practice"},
    )
    PracticeSettings.for_site(site)
    return home


def make_standard_page(parent: Page, *, live: bool = True, **fields) -> StandardPage:
    fields.setdefault("title", "About us")
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-"))
    page = StandardPage(**fields)
    parent.add_child(instance=page)
    if live:
        publish(page)
    else:
        page.live = False
        page.save_revision()
        page.save(update_fields=["live"])
    return page


def demo_html_pages() -> dict[str, str]:
    """A URL of each public HTML page type in the demo content (load_demo_content), by name."""
    from blog.models import BlogPage

    post = BlogPage.objects.live().public().filter(tags__isnull=False).order_by("-date").first()
    tag = post.tags.first()
    return {
        "home": "/",
        "standard page": "/about/",
        "blog index": "/blog/",
        "post": post.url,
        "tag page": f"/blog/tag/{tag.slug}/",
        "archive": f"/blog/{post.date:%Y}/{post.date:%m}/",
        "contact": "/contact/",
        "search": "/search/?query=anxiety",
        "search without results": "/search/?query=zebra+quilting",
    }
