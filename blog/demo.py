"""Demo content owned by `blog`: the blog index, its author and posts, and the editor and counselor accounts.

Text written for this project. Every step looks for what it would create (by slug or name) and leaves existing
content alone, so a second run changes nothing. Post dates count back from today, so the demo always looks
recent; one post is scheduled a week ahead to show scheduled publishing.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from blog.models import Author, BlogIndexPage, BlogPage
from home.blocks import describe_image
from home.demo import DEMO_PASSWORD
from home.demo_images import get_or_create_demo_image
from home.models import HomePage
from site_project.accounts.groups import COUNSELOR, EDITORS


def p(*sentences: str) -> tuple[str, str]:
    return ("paragraph", "<p>" + " ".join(sentences) + "</p>")


def h(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


def q(text: str, attribution: str = "") -> tuple[str, dict]:
    return ("quote", {"quote": text, "attribution": attribution})


POSTS: list[dict] = [
    {
        "slug": "when-worry-will-not-switch-off",
        "title": "When worry will not switch off",
        "days_ago": 150,
        "tags": ["anxiety", "self-care"],
        "image": "Lake in the morning",
        "alt": "A still lake with soft light on the water",
        "summary": "Anxious thoughts are loud because they are trying to protect you. "
        "Three small practices help turn the volume down.",
        "body": [
            p(
                "Worry is not a character flaw. It is a part of the mind that scans for danger and, once it finds "
                "something, refuses to let go until it feels safe. The trouble is that it rarely feels safe.",
            ),
            h("Name the worry, then set a time for it"),
            p(
                "Write the worry down in one sentence. Then give it an appointment: fifteen minutes at five o'clock "
                "in a chair you do not use for anything else. When it shows up at other times, tell it kindly that "
                "it has a slot later. Many people find the worry shrinks by the time the appointment comes.",
            ),
            h("Breathe out longer than you breathe in"),
            p(
                "Breathe in for a count of four and out for a count of six, for two minutes. A long exhale tells "
                "the body that it can stand down. It is not a cure, but it is a handle you can always reach.",
            ),
            q("You cannot stop the waves, but you can learn to surf."),
            p(
                "If worry fills most of your days, keeps you from sleep, or makes you avoid places and people, that "
                "is a good moment to talk to someone. Anxiety responds well to treatment.",
            ),
        ],
    },
    {
        "slug": "a-gentler-way-into-sleep",
        "title": "A gentler way into sleep",
        "days_ago": 128,
        "tags": ["sleep", "self-care"],
        "image": "Evening hills",
        "alt": "Dark hills under a violet evening sky",
        "summary": "Trying hard to sleep keeps you awake. What helps is a steady rhythm, a wind-down routine and "
        "permission to get up.",
        "body": [
            p(
                "Sleep is one of the few things that gets harder the more effort we put in. Lying in bed willing "
                "yourself to drift off teaches the brain that bed is a place for struggle.",
            ),
            h("Keep the same wake-up time"),
            p(
                "Get up at the same time every day, weekends included, even after a bad night. A fixed morning "
                "anchors the body clock more than an early bedtime does.",
            ),
            h("Give the evening a slope"),
            p(
                "An hour before bed, dim the lights, put the phone in another room and do something calm and a "
                "little dull: folding laundry, a paper book, a warm shower. You are telling your body that the day "
                "is closing.",
            ),
            h("If you cannot sleep, get up"),
            p(
                "After about twenty minutes awake, go to another room and sit in low light until you feel sleepy, "
                "then return. It feels backwards, but it rebuilds the link between bed and sleep.",
            ),
        ],
    },
    {
        "slug": "grief-does-not-follow-a-schedule",
        "title": "Grief does not follow a schedule",
        "days_ago": 104,
        "tags": ["grief"],
        "image": "Meadow after rain",
        "alt": "A green meadow under a pale, clearing sky",
        "summary": "The stages of grief are a map some people find useful, not a timetable. "
        "What grieving people most need is company.",
        "body": [
            p(
                "People often come to counseling worried that they are grieving wrongly: too long, not enough, out "
                "of order. There is no correct way. Grief arrives in waves, and a wave can come years later, "
                "set off by a song in a shop.",
            ),
            q("Grief is love with nowhere to go for a while."),
            h("Small ways to carry it"),
            p(
                "Keep one ritual that is yours: lighting a candle on a certain day, cooking their recipe, a walk "
                "they loved. Let other people help with ordinary things such as meals and errands. And tell the "
                "people close to you what you need, even if that is simply not being asked how you are.",
            ),
            p(
                "If months pass and the loss still makes it hard to work, eat or sleep, or you feel you cannot go "
                "on, please reach out. Grief counseling is a gentle space to carry what feels too heavy alone.",
            ),
        ],
    },
    {
        "slug": "the-argument-you-keep-having",
        "title": "The argument you keep having",
        "days_ago": 86,
        "tags": ["relationships", "communication"],
        "image": "Two paths",
        "alt": "Two paths meeting on a hillside at dawn",
        "summary": "Most couples have one fight on repeat. It is rarely about the dishes. "
        "Here is how to find what it is about.",
        "body": [
            p(
                "If you could set your watch by an argument, it is probably standing in for something bigger: "
                "feeling unseen, carrying more than your share, or worrying that you matter less than before.",
            ),
            h("Start softly"),
            p(
                "How a conversation starts predicts how it ends. Begin with what you feel and need, not with what "
                'your partner does wrong: "I feel stretched thin in the evenings and I need a hand" lands very '
                'differently from "You never help."',
            ),
            h("Take a real break"),
            p(
                "When your heart is racing, nobody listens well. Agree on a signal for a twenty-minute pause, spend "
                "it doing something calming rather than rehearsing your case, and come back to finish.",
            ),
            q("The goal is not to win the argument. It is to be on the same side of the problem."),
        ],
    },
    {
        "slug": "boundaries-are-a-kindness",
        "title": "Boundaries are a kindness",
        "days_ago": 66,
        "tags": ["boundaries", "relationships"],
        "image": "Garden gate",
        "alt": "A wooden gate standing open at the edge of a garden",
        "summary": "A clear boundary tells people how to be close to you. "
        "Saying no kindly is a skill you can practise.",
        "body": [
            p(
                "Many of us learned that a good person says yes. Then we say yes so often that resentment builds, "
                "and resentment is much harder on a relationship than an honest no.",
            ),
            h("Keep it short"),
            p(
                'A boundary does not need a long defence. "I can\'t take that on this month" is complete. The more '
                "you explain, the more it sounds like an opening for negotiation.",
            ),
            h("Expect some discomfort"),
            p(
                "The first few times will feel awkward, and some people will push back, especially those who "
                "benefited from your yes. Discomfort is not a sign that you did something wrong; it is what change "
                "feels like.",
            ),
        ],
    },
    {
        "slug": "what-happens-in-a-first-session",
        "title": "What happens in a first session",
        "days_ago": 45,
        "tags": ["starting therapy"],
        "image": "Quiet room",
        "alt": "Soft morning light over rolling hills",
        "summary": "Not knowing what to expect keeps many people from booking. "
        "Here is what the first fifty minutes are like.",
        "body": [
            p(
                "The first session is mostly a conversation. I will ask what brings you in, what you have tried, "
                "and what you would like to be different. You do not need to prepare or to tell your whole story "
                "at once.",
            ),
            h("You can ask questions too"),
            p(
                "Ask about how I work, how long therapy usually takes and what happens if it does not feel right. "
                "A good fit between you and your counselor matters more than any one technique.",
            ),
            p(
                "At the end we decide together whether to meet again, and how often. Many people leave the first "
                "session feeling lighter simply for having said things out loud.",
            ),
        ],
    },
    {
        "slug": "small-steps-on-low-days",
        "title": "Small steps on low days",
        "days_ago": 27,
        "tags": ["self-care", "depression"],
        "image": "Sunrise over fields",
        "alt": "The sun rising over a quiet field",
        "summary": "On a low day, motivation rarely comes first. Action comes first, and motivation follows.",
        "body": [
            p(
                "Low mood whispers that nothing will help, so why try. The trick is to act before you feel like it, "
                "with steps so small that they are hard to refuse.",
            ),
            h("Pick one thing from each list"),
            p(
                "One thing that gives a sense of achievement, such as answering one email. One thing that gives "
                "pleasure, such as a song you love. One thing that connects you, such as a message to a friend. "
                "That is a good day's work on a hard day.",
            ),
            p(
                "If low days have become most days for more than two weeks, or you have thoughts of harming "
                "yourself, please reach out to a professional, or call or text 988 at any hour.",
            ),
        ],
    },
    {
        "slug": "listening-so-your-partner-feels-heard",
        "title": "Listening so your partner feels heard",
        "days_ago": 9,
        "tags": ["communication", "relationships"],
        "image": "Two trees",
        "alt": "Two trees side by side on a gentle hill",
        "summary": "Feeling heard matters more than being agreed with. A simple listening exercise for couples.",
        "body": [
            p(
                "Try this for ten minutes, twice a week. One of you speaks about something that matters to you, "
                "not about the relationship at first. The other listens without fixing, advising or defending.",
            ),
            h("Reflect before you respond"),
            p(
                'The listener sums up what they heard: "So the meeting left you feeling dismissed." The speaker '
                "says whether that is right. Only then do you swap roles.",
            ),
            q("Understanding is not the same as agreeing, and it is often what was needed all along."),
        ],
    },
    {
        "slug": "getting-through-the-holidays-after-a-loss",
        "title": "Getting through the holidays after a loss",
        "days_ago": -7,
        "tags": ["grief", "self-care"],
        "image": "Winter evening",
        "alt": "Pale winter hills at dusk",
        "summary": "Holidays can make an absence louder. It is all right to change traditions this year.",
        "body": [
            p(
                "The first holidays after a death or a separation often hurt in ways people do not expect. "
                "Everyone around you seems cheerful, and the empty chair is hard to ignore.",
            ),
            h("Plan a little, and leave room"),
            p(
                "Decide ahead which gatherings you will go to and how you will leave if you need to. Keep one "
                "tradition that comforts you and let go of one that now hurts. You can always bring it back "
                "next year.",
            ),
        ],
    },
]


def ensure_blog_index(home: HomePage) -> BlogIndexPage:
    existing = BlogIndexPage.objects.first()
    if existing:
        return existing
    index = BlogIndexPage(
        title="Blog",
        slug="blog",
        show_in_menus=True,
        introduction="Practical notes on anxiety, sleep, grief, relationships and looking after yourself.",
        search_description="Practical notes from a counselor on anxiety, sleep, grief and relationships.",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def ensure_author() -> Author:
    author = Author.objects.filter(name="Maya Ellison").first()
    if author:
        return author
    return Author.objects.create(
        name="Maya Ellison",
        credentials="LCMHC",
        photo=get_or_create_demo_image("Portrait backdrop"),
        bio="Maya is a licensed clinical mental health counselor who has worked with adults and couples for "
        "twelve years. She writes here about the everyday side of mental health.",
    )


def described_demo_image(title: str, description: str):
    """A demo image whose own description is its alt text wherever it is placed."""
    image = get_or_create_demo_image(title)
    describe_image(image, description)
    return image


def ensure_post(index: BlogIndexPage, author: Author, data: dict) -> BlogPage:
    existing = BlogPage.objects.child_of(index).filter(slug=data["slug"]).first()
    if existing:
        return existing
    today = timezone.localdate()
    date = today - datetime.timedelta(days=data["days_ago"])
    post = BlogPage(
        title=data["title"],
        slug=data["slug"],
        date=date,
        summary=data["summary"],
        hero_image=described_demo_image(data["image"], data["alt"]),
        body=data["body"],
        email_subscribers=False,  # demo content mails no one, even the scheduled post when it goes live
    )
    post.authors = [author]
    post.tags.add(*data["tags"])
    index.add_child(instance=post)
    if data["days_ago"] < 0:
        post.go_live_at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(8, 0)))
    post.save_revision().publish()  # with a future go_live_at this schedules the post instead
    return post


def ensure_user(username: str, group_name: str, stdout: TextIO) -> None:
    user_model = get_user_model()
    if not user_model.objects.filter(username=username).exists():
        user = user_model.objects.create_user(username, f"{username}@willowbend.example", DEMO_PASSWORD)
        user.groups.add(Group.objects.get(name=group_name))
    stdout.write(
        f"Log in at {settings.SITE_URL}/{settings.ADMIN_URL_PATH} as '{username}' ({group_name}) "
        f"with password '{DEMO_PASSWORD}'."
    )


def load(*, stdout: TextIO, with_users: bool = False) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    index = ensure_blog_index(home)
    author = ensure_author()
    for data in POSTS:
        ensure_post(index, author, data)
    if with_users:
        ensure_user("editor", EDITORS, stdout)
        ensure_user("counselor", COUNSELOR, stdout)
