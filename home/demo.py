"""Demo content owned by `home`: practice details, the home page and the standard pages.

Text written for this project. Every step looks for what it would create and leaves existing content alone.
"""

from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, Site

from home.demo_images import get_or_create_demo_image
from home.models import HomePage, PracticeSettings, StandardPage
from home.public_address import apply_public_address

DEMO_ADMIN_USERNAME = "admin"
DEMO_PASSWORD = "practice-demo-2026"  # noqa: S105 - demo accounts, created only on request  # nosec B105

ABOUT_BODY = [
    (
        "paragraph",
        "<p>Willow Bend Counseling is a small practice with one counselor and a quiet office above "
        "the bakery on Alder Street. People come to us when life has become heavy: worry that will not switch off, "
        "a loss, a relationship under strain, or a sense of being stuck without knowing why.</p>",
    ),
    ("heading", {"text": "How we work", "level": "h2"}),
    (
        "paragraph",
        "<p>Sessions are fifty minutes, in person or by secure video. The first meeting is about you: "
        "what brings you here, what you hope will change, and whether we are a good fit. You decide the pace, and "
        "you can ask questions about the approach at any point.</p>",
    ),
    (
        "quote",
        {
            "quote": "You do not have to have the right words before you start. Finding them is part of the work.",
            "attribution": "Maya Ellison, LCMHC",
        },
    ),
    ("heading", {"text": "Who you will meet", "level": "h2"}),
    (
        "paragraph",
        "<p>Maya Ellison is a licensed clinical mental health counselor with twelve years of practice in "
        "community clinics and private work. She draws on cognitive behavioral therapy, acceptance and commitment "
        "therapy and a good deal of plain listening.</p>",
    ),
]

SERVICES_BODY = [
    ("heading", {"text": "Individual counseling", "level": "h2"}),
    (
        "paragraph",
        "<p>For adults facing anxiety, low mood, grief, burnout or big life changes. We set goals "
        "together and check regularly whether therapy is helping.</p>",
    ),
    ("heading", {"text": "Couples counseling", "level": "h2"}),
    (
        "paragraph",
        "<p>For partners who keep having the same argument, or who feel more like roommates than a "
        "couple. Sessions give both of you room to be heard and practical ways to talk when it matters.</p>",
    ),
    ("heading", {"text": "Short-term support", "level": "h2"}),
    (
        "paragraph",
        "<p>Six to eight sessions focused on one clear concern, such as a work transition, sleep "
        "problems linked to stress, or preparing for a difficult conversation.</p>",
    ),
]

FEES_BODY = [
    (
        "paragraph",
        "<p>A fifty-minute session costs $140; a couples session costs $165. A limited number of "
        "reduced-fee places are offered each season; ask about them when you get in touch.</p>",
    ),
    ("heading", {"text": "Insurance", "level": "h2"}),
    (
        "paragraph",
        "<p>We are out of network for most plans. On request you receive a monthly statement you can "
        "submit to your insurer for possible reimbursement.</p>",
    ),
    ("heading", {"text": "Cancellations", "level": "h2"}),
    (
        "paragraph",
        "<p>Please let us know 24 hours ahead if you need to cancel. Illness and emergencies are "
        "always an exception.</p>",
    ),
]


def privacy_body() -> list:
    days = settings.APPOINTMENT_RETENTION_DAYS
    return [
        (
            "paragraph",
            "<p>This website is built to collect as little about you as possible. It uses no "
            "advertising, no analytics service, no web fonts or scripts from other companies, and no tracking "
            "cookies.</p>",
        ),
        ("heading", {"text": "Appointment requests", "level": "h2"}),
        (
            "paragraph",
            "<p>When you send the appointment request form, we store your name, your contact details, "
            "your preferred times and your short message so the counselor can reply. The confirmation email we "
            "send you never repeats your message, because email is not a private place. "
            f"Requests are deleted automatically {days} days after they arrive.</p>",
        ),
        ("heading", {"text": "Please do not send clinical details", "level": "h2"}),
        (
            "paragraph",
            "<p>Please keep the message short and do not include health information. We will talk "
            "about what brings you here in person or by phone.</p>",
        ),
        ("heading", {"text": "Your rights", "level": "h2"}),
        (
            "paragraph",
            "<p>You can ask us at any time to see or delete what we hold about you by phone or email.</p>",
        ),
    ]


def ensure_home_page() -> HomePage:
    """Replace Wagtail's placeholder welcome page with our HomePage and point the default site at it."""
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    placeholder = Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage").first()
    if placeholder:
        placeholder.delete()
    home = HomePage(
        title="Willow Bend Counseling",
        slug="home",
        seo_title="Willow Bend Counseling: counseling for adults and couples",
        search_description="A small counseling practice for adults and couples: individual and couples "
        "counseling in person or by video.",
        body=[
            (
                "hero",
                {
                    "heading": "A calm place to talk things through",
                    "text": "Counseling for adults and couples, in person on Alder Street or by secure video.",
                    "button_text": "",
                    "button_page": None,
                },
            ),
            (
                "paragraph",
                "<p>Whether you are facing anxiety, grief, a relationship at a turning point or "
                "simply feel stuck, you do not have to sort it out alone. We offer a steady, unhurried space and "
                "practical tools you can use between sessions.</p>",
            ),
            (
                "image",
                {
                    "image": get_or_create_demo_image("Hills at dawn"),
                    "alt_text": "Soft hills under a pale morning sky",
                    "caption": "Change often starts with a quiet first step.",
                },
            ),
            ("office_hours", {"heading": "Office hours"}),
            ("latest_posts", {"heading": "From the blog", "count": 3}),
        ],
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    site.site_name = "Willow Bend Counseling"
    apply_public_address(site)  # canonical links and feeds say what emails say: SITE_URL
    site.save()
    return home


def ensure_standard_page(
    parent: Page, *, slug: str, title: str, introduction: str, body: list, in_menu: bool
) -> StandardPage:
    existing = StandardPage.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = StandardPage(title=title, slug=slug, introduction=introduction, body=body, show_in_menus=in_menu)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_practice_settings(site: Site) -> None:
    practice = PracticeSettings.for_site(site)
    if practice.tagline:
        return
    practice.practice_name = "Willow Bend Counseling"
    practice.tagline = "Counseling for adults and couples"
    practice.phone = "(603) 555-0142"
    practice.email = "hello@willowbend.example"
    practice.address = "24 Alder Street, Suite 2\nConcord, NH 03301"
    practice.new_clients_note = "New clients can usually start within two to three weeks."
    practice.save()


def ensure_demo_admin(stdout: TextIO) -> None:
    user_model = get_user_model()
    if not user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        user_model.objects.create_superuser(DEMO_ADMIN_USERNAME, "admin@willowbend.example", DEMO_PASSWORD)
    stdout.write(
        f"Log in at {settings.SITE_URL}{reverse('wagtailadmin_home')} as '{DEMO_ADMIN_USERNAME}' "
        f"with password '{DEMO_PASSWORD}'."
    )


def load(*, stdout: TextIO, with_users: bool = False) -> None:
    home = ensure_home_page()
    site = Site.objects.get(root_page=home)
    ensure_practice_settings(site)
    ensure_standard_page(
        home,
        slug="about",
        title="About",
        in_menu=True,
        introduction="A small practice, one counselor, and time to listen.",
        body=ABOUT_BODY,
    )
    ensure_standard_page(
        home,
        slug="services",
        title="Services",
        in_menu=True,
        introduction="Individual and couples counseling, in person or by secure video.",
        body=SERVICES_BODY,
    )
    ensure_standard_page(
        home,
        slug="fees",
        title="Fees",
        in_menu=True,
        introduction="Clear prices, reduced-fee places and how insurance works.",
        body=FEES_BODY,
    )
    ensure_standard_page(
        home,
        slug="privacy",
        title="Privacy",
        in_menu=False,
        introduction="What this website stores about you, and for how long.",
        body=privacy_body(),
    )
    if with_users:
        ensure_demo_admin(stdout)
