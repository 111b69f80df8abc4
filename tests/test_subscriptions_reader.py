"""A reader subscribes, confirms and unsubscribes: the pages, the emails, the stored rows, and hostile input.

Sending new posts to subscribers is tested in the sending tests; here only the reader's own side.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.signing import b62_encode
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Subscriber, SubscriptionSettings
from blog.subscriptions import keys, links
from blog.subscriptions.forms import SUBSCRIBE_FORM
from blog.tasks import forget_unconfirmed_subscribers
from site_project.outbox.models import Email
from tests.blog_factories import make_post
from tests.booking_factories import make_practice_details
from tests.outbox_factories import make_message, store

pytestmark = pytest.mark.django_db

SUBSCRIBE_URL = "/subscriptions/"
SENT_URL = "/subscriptions/check-your-inbox/"
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


@pytest.fixture(autouse=True)
def practice(site):
    return make_practice_details(site, crisis_notice="If you are in danger, call 988.")


def started_token(seconds_ago: float = 30) -> str:
    return SUBSCRIBE_FORM.make_started_token(time.time() - seconds_ago)


def subscribe_data(email="ana@example.org", **overrides) -> dict:
    data = {"email": email, "website": "", "form_started": started_token(), **overrides}
    return {key: value for key, value in data.items() if value is not None}


def post_subscribe(client, django_capture_on_commit_callbacks, email="ana@example.org", **overrides):
    """POST the subscribe form and deliver what it stored, as the worker would after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SUBSCRIBE_URL, subscribe_data(email, **overrides))


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def confirm_path(subscriber: Subscriber) -> str:
    return links.confirm_url(subscriber).removeprefix("http://testserver")


def unsubscribe_path(subscriber: Subscriber) -> str:
    return links.unsubscribe_url(subscriber).removeprefix("http://testserver")


def nothing_stored_or_mailed() -> bool:
    return not Subscriber.objects.exists() and not Email.objects.exists() and mail.outbox == []


# -- subscribing --------------------------------------------------------------------------------------------------


def test_subscribing_stores_one_unconfirmed_address_and_mails_a_confirmation(
    client, django_capture_on_commit_callbacks
):
    response = post_subscribe(client, django_capture_on_commit_callbacks, email="  Ana.Lima@Example.ORG ")

    assert response.status_code == 302 and response["Location"] == SENT_URL
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ana.lima@example.org"
    assert subscriber.confirmed_at is None
    assert list(Email.objects.values_list("key", flat=True)) == [
        keys.confirmation_key(subscriber.pk, subscriber.requested_at)
    ]
    [message] = mail.outbox
    assert message.to == ["ana.lima@example.org"]
    assert message.subject == "Please confirm: new posts from Willow Test Counseling by email"
    assert message.extra_headers["List-Unsubscribe"] == f"<{links.unsubscribe_url(subscriber)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm_link = re.search(r"http://testserver(/subscriptions/confirm/[^/\s]+/)", message.body).group(1)
    assert confirm_link in html_of(message)
    assert "You are subscribed" in client.get(confirm_link).content.decode()
    for body in (message.body, html_of(message)):
        assert links.unsubscribe_url(subscriber) in body
        assert "Willow Test Counseling" in body
        assert "If you did not ask for this, ignore this email" in body
        assert "3\xa0days" in body
    assert message.body.rstrip().endswith(
        f"Unsubscribe (your address is deleted): {links.unsubscribe_url(subscriber)}"
    )


def test_the_confirmation_and_the_confirmed_page_say_what_the_practice_sends(
    client, site, django_capture_on_commit_callbacks
):
    choice = SubscriptionSettings.for_site(site)
    choice.frequency = SubscriptionSettings.Frequency.WEEKLY
    choice.save()

    post_subscribe(client, django_capture_on_commit_callbacks)
    confirm_link = re.search(
        r"http://testserver(/subscriptions/confirm/[^/\s]+/)", mail.outbox[0].body
    ).group(1)

    assert "you get one email a week when there are new posts, and nothing else" in mail.outbox[0].body
    assert (
        "From now on you get one email a week when there are new posts."
        in client.get(confirm_link).content.decode()
    )


def test_the_check_your_inbox_page_says_what_to_do_and_is_never_cached(client):
    response = client.get(SENT_URL)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_an_unconfirmed_address_subscribing_again_gets_a_new_link_and_the_old_one_still_works(
    client, django_capture_on_commit_callbacks
):
    asked_before = timezone.now() - timedelta(hours=1)
    subscriber = Subscriber.objects.create(email="ana@example.org", requested_at=asked_before)
    first_email = store(key=keys.confirmation_key(subscriber.pk, asked_before))
    first_link = confirm_path(subscriber)

    response = post_subscribe(client, django_capture_on_commit_callbacks, email="ANA@example.org")

    assert response["Location"] == SENT_URL
    subscriber.refresh_from_db()
    assert subscriber.requested_at > asked_before
    assert Subscriber.objects.count() == 1
    new_email = Email.objects.exclude(pk=first_email.pk).get()
    assert new_email.key == keys.confirmation_key(subscriber.pk, subscriber.requested_at)
    [message] = mail.outbox
    assert message.subject == "Please confirm: new posts from Willow Test Counseling by email"
    assert "You are subscribed" in client.get(first_link).content.decode()


def test_pressing_subscribe_twice_in_a_second_mails_once(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    moment = timezone.now().replace(microsecond=0)
    monkeypatch.setattr("blog.subscriptions.services.timezone.now", lambda: moment)

    for _ in range(2):
        assert post_subscribe(client, django_capture_on_commit_callbacks)["Location"] == SENT_URL

    assert Subscriber.objects.count() == 1
    assert Email.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_confirmed_address_subscribing_again_gets_a_note_with_the_unsubscribe_link_and_the_same_page(
    client, django_capture_on_commit_callbacks
):
    subscriber = Subscriber.objects.create(email="ana@example.org", confirmed_at=timezone.now())

    response = post_subscribe(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == SENT_URL
    [message] = mail.outbox
    assert message.subject == "You already get new posts from Willow Test Counseling"
    assert "already subscribed" in message.body
    assert links.unsubscribe_url(subscriber) in message.body
    assert "/subscriptions/confirm/" not in message.body + html_of(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<{links.unsubscribe_url(subscriber)}>"
    assert Email.objects.get().key.startswith(keys.subscriber_prefix(subscriber.pk) + "notice.")
    assert Subscriber.objects.get().confirmed_at == subscriber.confirmed_at


def test_the_subscribe_page_shows_the_form_with_a_fresh_token_and_is_never_cached(client):
    response = client.get(SUBSCRIBE_URL)
    html = response.content.decode()
    token = re.search(r'name="form_started" value="([^"]+)"', html).group(1)

    assert SUBSCRIBE_FORM.check_started_token(token, now=time.time() + 60).ok
    assert 'autocomplete="email"' in html and '<label for="subscribe-email">' in html
    assert "csrfmiddlewaretoken" not in html
    assert "no-store" in response["Cache-Control"] and "X-Page-Cache" not in response


# -- spam checks --------------------------------------------------------------------------------------------------


def test_a_filled_honeypot_is_refused_politely_and_nothing_is_stored_or_mailed(
    client, django_capture_on_commit_callbacks
):
    response = post_subscribe(client, django_capture_on_commit_callbacks, website="https://spam.example")

    assert response.status_code == 200
    assert "We could not accept this form" in response.content.decode()
    assert nothing_stored_or_mailed()


@pytest.mark.parametrize("form_started", [None, "", "not-a-token", "sent-at-once", "stale"])
def test_a_form_without_a_valid_start_time_is_sent_back_with_the_address_and_a_fresh_token(
    client, django_capture_on_commit_callbacks, form_started
):
    """No JavaScript (no token), a tampered token, one sent too fast or a day old: press Subscribe once more."""
    form_started = {
        "sent-at-once": started_token(seconds_ago=0),
        "stale": started_token(seconds_ago=90_000),
    }.get(form_started, form_started)
    response = post_subscribe(client, django_capture_on_commit_callbacks, form_started=form_started)

    html = response.content.decode()
    assert response.status_code == 200
    assert "press Subscribe once more" in html
    assert 'value="ana@example.org"' in html
    fresh = re.search(r'name="form_started" value="([^"]+)"', html).group(1)
    assert fresh != form_started
    assert SUBSCRIBE_FORM.check_started_token(fresh, now=time.time() + 60).ok
    assert nothing_stored_or_mailed()


def test_without_javascript_pressing_subscribe_again_subscribes(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SUBSCRIBE_MIN_FILL_SECONDS = 0
    sent_back = client.post(SUBSCRIBE_URL, {"email": "ana@example.org", "website": ""})
    fresh = re.search(r'name="form_started" value="([^"]+)"', sent_back.content.decode()).group(1)

    response = post_subscribe(client, django_capture_on_commit_callbacks, form_started=fresh)

    assert response["Location"] == SENT_URL
    assert Subscriber.objects.filter(email="ana@example.org").exists()
    assert len(mail.outbox) == 1


def test_a_contact_form_token_is_not_accepted_by_the_subscribe_form(
    client, django_capture_on_commit_callbacks
):
    from tests.booking_factories import started_token as contact_started_token

    response = post_subscribe(
        client, django_capture_on_commit_callbacks, form_started=contact_started_token()
    )

    assert "press Subscribe once more" in response.content.decode()
    assert nothing_stored_or_mailed()


def test_one_address_is_refused_once_over_the_rate_limit(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SUBSCRIBE_RATE_LIMIT = 2
    for number in range(2):
        assert (
            post_subscribe(
                client, django_capture_on_commit_callbacks, email=f"r{number}@example.org"
            ).status_code
            == 302
        )

    refused = post_subscribe(client, django_capture_on_commit_callbacks, email="r3@example.org")

    assert refused.status_code == 429
    assert "Please wait a little" in refused.content.decode()
    assert not Subscriber.objects.filter(email="r3@example.org").exists()
    assert len(mail.outbox) == 2
    other_address = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        post_subscribe(other_address, django_capture_on_commit_callbacks, email="r4@example.org").status_code
        == 302
    )


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Please enter your email address."),
        ("not an address", "Please enter an email address like name@example.org."),
        ("a" * 10_000 + "@example.org", "Ensure this value has at most 254 characters"),
        ("ana@example.org\r\nBcc: victim@example.net", "Please enter an email address"),
        ("ana@example.org\nBcc: victim@example.net", "Please enter an email address"),
        ("x@example.org'; DROP TABLE blog_subscriber; --", "Please enter an email address"),
        ("ана@пример.рф", "Please enter an email address"),
        ("ana@exam\u2028ple.org", "Please keep this on one line"),
    ],
)
def test_bad_addresses_are_refused_on_the_page_and_nothing_is_stored(
    client, django_capture_on_commit_callbacks, email, error
):
    response = post_subscribe(client, django_capture_on_commit_callbacks, email=email)

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert 'id="subscribe-email-error"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="subscribe-note subscribe-email-error"' in html
    assert nothing_stored_or_mailed()


def test_two_values_for_the_address_are_refused(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBSCRIBE_URL,
            {
                "email": ["ana@example.org", "victim@example.net"],
                "website": "",
                "form_started": started_token(),
            },
        )

    assert response.status_code == 200
    assert "Please enter one email address." in response.content.decode()
    assert nothing_stored_or_mailed()


def test_an_address_with_an_international_domain_is_stored_in_lower_case_and_mailed(
    client, django_capture_on_commit_callbacks
):
    response = post_subscribe(client, django_capture_on_commit_callbacks, email="Ana@Bücher.example")

    assert response["Location"] == SENT_URL
    assert Subscriber.objects.get().email == "ana@bücher.example"
    [message] = mail.outbox
    assert "xn--bcher-kva.example" in message.message()["To"]


def test_other_methods_are_refused(client):
    assert client.put(SUBSCRIBE_URL).status_code == 405
    assert client.delete(SUBSCRIBE_URL).status_code == 405


# -- confirming ---------------------------------------------------------------------------------------------------


def test_the_confirmation_link_confirms_and_a_second_visit_says_it_already_is(client):
    subscriber = Subscriber.objects.create(email="ana@example.org")

    first = client.get(confirm_path(subscriber))
    subscriber.refresh_from_db()
    confirmed_at = subscriber.confirmed_at
    second = client.get(confirm_path(subscriber))

    assert first.status_code == 200 and "You are subscribed" in first.content.decode()
    assert confirmed_at is not None
    assert second.status_code == 200 and "already confirmed" in second.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at
    assert "no-store" in first["Cache-Control"]


def expired_confirm_path(subscriber: Subscriber, max_age_seconds: int) -> str:
    """The confirmation link as it was signed a minute more than its lifetime ago."""
    signer = signing.TimestampSigner(salt=links.CONFIRM_SALT)
    long_ago = int(time.time()) - max_age_seconds - 60
    signer.timestamp = lambda: b62_encode(long_ago)
    return reverse("subscriptions:confirm", args=[signer.sign(subscriber.token)])


def test_an_expired_link_says_so_and_offers_the_form(client, settings):
    subscriber = Subscriber.objects.create(email="ana@example.org")

    response = client.get(expired_confirm_path(subscriber, settings.SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This confirmation link has expired" in html
    assert "3\xa0days" in html
    assert 'action="/subscriptions/"' in html and 'name="form_started" value="' in html
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_an_expired_link_of_a_confirmed_address_says_it_is_confirmed(client, settings):
    subscriber = Subscriber.objects.create(email="ana@example.org", confirmed_at=timezone.now())

    response = client.get(expired_confirm_path(subscriber, settings.SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS))

    assert response.status_code == 200
    assert "already confirmed" in response.content.decode()


@pytest.mark.parametrize("change", ["tamper", "truncate", "garbage"])
def test_a_tampered_link_gets_a_clear_not_found_page(client, change):
    subscriber = Subscriber.objects.create(email="ana@example.org")
    signed = signing.TimestampSigner(salt=links.CONFIRM_SALT).sign(subscriber.token)
    bad = {
        "tamper": signed[:-1] + ("A" if signed[-1] != "A" else "B"),
        "truncate": signed[:20],
        "garbage": "💥",
    }

    response = client.get(reverse("subscriptions:confirm", args=[bad[change]]))

    assert response.status_code == 404
    assert "This confirmation link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_the_link_of_an_address_deleted_since_does_not_work(client):
    subscriber = Subscriber.objects.create(email="ana@example.org")
    path = confirm_path(subscriber)
    subscriber.delete()

    response = client.get(path)

    assert response.status_code == 404
    assert not Subscriber.objects.exists()


# -- unsubscribing ------------------------------------------------------------------------------------------------


def test_opening_the_unsubscribe_link_asks_and_deletes_nothing(client):
    subscriber = Subscriber.objects.create(email="ana.lima@example.org", confirmed_at=timezone.now())

    response = client.get(unsubscribe_path(subscriber))

    html = response.content.decode()
    assert response.status_code == 200
    assert "a•••@e•••.org" in html and "ana.lima@example.org" not in html
    assert re.search(
        r'<form method="post" action="[^"]+">\s*<button type="submit">Unsubscribe</button>', html
    )
    assert "no-store" in response["Cache-Control"]
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_one_click_unsubscribe_without_cookies_deletes_the_address_and_its_pending_email():
    subscriber = Subscriber.objects.create(email="ana@example.org", confirmed_at=timezone.now())
    neighbour = Subscriber.objects.create(email="ben@example.org", confirmed_at=timezone.now())
    store(make_message(to=["ana@example.org"]), key=keys.mailing_key(subscriber.pk, 7))
    store(make_message(to=["ana@example.org"]), key=keys.notice_key(subscriber.pk, timezone.now()))
    kept = [
        store(make_message(to=["ben@example.org"]), key=keys.mailing_key(neighbour.pk, 7)),
        # A subscriber whose id starts with the same digits keeps their mail (the prefix ends with a dot).
        store(make_message(to=["cy@example.org"]), key=keys.mailing_key(int(f"{subscriber.pk}0"), 7)),
        store(key="booking.request.1.confirmation"),
    ]
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        unsubscribe_path(subscriber), ONE_CLICK_BODY, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert sorted(Email.objects.values_list("pk", flat=True)) == sorted(email.pk for email in kept)
    assert Subscriber.objects.filter(pk=neighbour.pk).exists()


def test_the_unsubscribe_button_deletes_the_address(client):
    subscriber = Subscriber.objects.create(email="ana@example.org", confirmed_at=timezone.now())

    response = Client(enforce_csrf_checks=True).post(unsubscribe_path(subscriber))

    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_unsubscribe_token_gets_a_calm_page(client, method):
    response = getattr(client, method)(reverse("subscriptions:unsubscribe", args=["no-such-token"]))

    assert response.status_code == 200
    assert "This address is not subscribed" in response.content.decode()


def test_unsubscribing_twice_says_the_address_is_not_subscribed(client):
    subscriber = Subscriber.objects.create(email="ana@example.org", confirmed_at=timezone.now())
    path = unsubscribe_path(subscriber)
    client.post(path, ONE_CLICK_BODY, content_type="application/x-www-form-urlencoded")

    again = client.post(path, ONE_CLICK_BODY, content_type="application/x-www-form-urlencoded")

    assert again.status_code == 200 and "This address is not subscribed" in again.content.decode()


# -- the form in cached pages -------------------------------------------------------------------------------------


def embedded_form(html: str) -> str:
    return re.search(r'<form class="subscribe-form".*?</form>', html, re.S).group(0)


def test_the_form_is_under_each_post_and_on_the_blog_index_without_any_per_visitor_token(client, blog_index):
    post = make_post(blog_index, title="Sleep and worry")

    for url in (post.url, blog_index.url):
        html = client.get(url).content.decode()
        form = embedded_form(html)
        assert "Get new posts by email" in html
        assert 'action="/subscriptions/"' in form and 'data-token-url="/subscriptions/start/"' in form
        assert '<label for="subscribe-email">Your email address</label>' in form
        assert 'autocomplete="email"' in form and 'aria-describedby="subscribe-note"' in form
        assert 'name="form_started" value=""' in form
        assert "one-click unsubscribe" in form
        assert "csrfmiddlewaretoken" not in html
        assert '<script src="/static/js/subscribe-form.js" defer></script>' in html


def test_a_post_with_the_form_is_still_served_from_the_page_cache(client, blog_index):
    post = make_post(blog_index, title="Grief in winter")

    first = client.get(post.url)
    second = client.get(post.url)

    assert first["X-Page-Cache"] == "miss" and not first.cookies
    assert second["X-Page-Cache"] == "hit"
    assert embedded_form(second.content.decode()) == embedded_form(first.content.decode())


def test_the_start_token_endpoint_gives_a_fresh_token_and_is_never_cached(client):
    first = client.get("/subscriptions/start/")
    time.sleep(0.01)
    second = client.get("/subscriptions/start/")

    assert first.status_code == 200 and "X-Page-Cache" not in second
    assert "no-store" in first["Cache-Control"]
    assert first.json()["token"] != second.json()["token"]
    assert SUBSCRIBE_FORM.check_started_token(first.json()["token"], now=time.time() + 60).ok


# -- forgetting addresses never confirmed -------------------------------------------------------------------------


def test_addresses_never_confirmed_are_forgotten_once_their_link_expired(settings):
    expired_at = timezone.now() - timedelta(seconds=settings.SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS + 60)
    forgotten = Subscriber.objects.create(email="old@example.org", requested_at=expired_at)
    store(key=keys.confirmation_key(forgotten.pk, expired_at))
    waiting = Subscriber.objects.create(email="new@example.org")
    confirmed = Subscriber.objects.create(
        email="reader@example.org", requested_at=expired_at, confirmed_at=expired_at
    )
    kept_email = store(key=keys.confirmation_key(waiting.pk, waiting.requested_at))

    assert forget_unconfirmed_subscribers() == 1

    assert set(Subscriber.objects.values_list("pk", flat=True)) == {waiting.pk, confirmed.pk}
    assert list(Email.objects.values_list("pk", flat=True)) == [kept_email.pk]
    assert forget_unconfirmed_subscribers() == 0
