"""The shared spam checks (site_project/form_protection.py): each form's own token, limits and rate counter.

The contact form's checks through its pages are in tests/test_booking_contact_form.py and the rule while Redis is
down in tests/test_booking_rate_limit_redis_down.py; the subscribe form's in tests/test_subscriptions_reader.py.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from blog.subscriptions.forms import SUBSCRIBE_FORM
from booking.spam import CONTACT_FORM
from site_project.form_protection import FormProtection, reject_line_breaks

NOW = 1_800_000_000.0


@pytest.fixture
def protection() -> FormProtection:
    return FormProtection(
        label="Test form",
        salt="tests.form.started",
        rate_bucket="tests:form-rate",
        min_fill_setting="SUBSCRIBE_MIN_FILL_SECONDS",
        rate_limit_setting="SUBSCRIBE_RATE_LIMIT",
        rate_window_setting="SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS",
    )


def post_from(address: str):
    return RequestFactory().post("/form/", REMOTE_ADDR=address)


@pytest.mark.parametrize(
    ("age_seconds", "reason"),
    [(0.5, "too-fast"), (1.99, "too-fast"), (2, ""), (3600, ""), (24 * 3600 + 1, "expired")],
)
def test_a_token_is_accepted_between_the_minimum_fill_time_and_a_day(
    protection, settings, age_seconds, reason
):
    settings.SUBSCRIBE_MIN_FILL_SECONDS = 2
    check = protection.check_started_token(protection.make_started_token(NOW - age_seconds), now=NOW)

    assert check.ok is (reason == "")
    assert check.reason == reason


@pytest.mark.parametrize("value", ["", None])
def test_a_missing_token_is_refused(protection, value):
    assert protection.check_started_token(value, now=NOW).reason == "missing"


def test_a_changed_or_foreign_token_is_refused_as_tampered(protection):
    token = protection.make_started_token(NOW - 60)

    assert protection.check_started_token(token[:-2] + "xx", now=NOW).reason == "tampered"
    assert protection.check_started_token("💥" * 50, now=NOW).reason == "tampered"
    assert (
        protection.check_started_token(CONTACT_FORM.make_started_token(NOW - 60), now=NOW).reason
        == "tampered"
    )
    assert (
        CONTACT_FORM.check_started_token(SUBSCRIBE_FORM.make_started_token(NOW - 60), now=NOW).reason
        == "tampered"
    )


def test_each_form_reads_its_own_minimum_fill_time(settings):
    settings.CONTACT_MIN_FILL_SECONDS = 10
    settings.SUBSCRIBE_MIN_FILL_SECONDS = 1

    assert (
        CONTACT_FORM.check_started_token(CONTACT_FORM.make_started_token(NOW - 5), now=NOW).reason
        == "too-fast"
    )
    assert SUBSCRIBE_FORM.check_started_token(SUBSCRIBE_FORM.make_started_token(NOW - 5), now=NOW).ok


def test_an_address_is_refused_once_over_its_forms_limit_and_other_forms_count_apart(settings):
    settings.CONTACT_RATE_LIMIT = 2
    settings.SUBSCRIBE_RATE_LIMIT = 3

    contact = [CONTACT_FORM.hit_rate_limit(post_from("198.51.100.7")) for _ in range(3)]
    subscribe = [SUBSCRIBE_FORM.hit_rate_limit(post_from("198.51.100.7")) for _ in range(4)]

    assert contact == [False, False, True]
    assert subscribe == [False, False, False, True]
    assert CONTACT_FORM.hit_rate_limit(post_from("198.51.100.8")) is False


def test_the_rate_limit_key_holds_a_keyed_hash_of_the_address_never_the_address(protection):
    protection.hit_rate_limit(post_from("198.51.100.7"))

    keys = list(cache._cache)  # locmem's own store: the test settings' cache
    assert any("tests:form-rate:" in key for key in keys)
    assert not any("198.51.100.7" in key for key in keys)


def test_the_address_behind_a_trusted_proxy_is_the_one_counted(protection, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SUBSCRIBE_RATE_LIMIT = 1

    def through_proxy(visitor: str):
        return RequestFactory().post("/form/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=visitor)

    assert protection.hit_rate_limit(through_proxy("198.51.100.7")) is False
    assert protection.hit_rate_limit(through_proxy("198.51.100.7")) is True
    assert protection.hit_rate_limit(through_proxy("198.51.100.9")) is False


@pytest.mark.parametrize(
    "value", ["a\nb", "a\r\nBcc: x@example.org", "a\u2028b", "a\u2029b", "a\x00b", "a\x1bb"]
)
def test_line_breaks_and_control_characters_are_refused_in_one_line_values(value):
    with pytest.raises(ValidationError):
        reject_line_breaks(value)


def test_ordinary_unicode_is_accepted_in_one_line_values():
    reject_line_breaks("Zoë Ålund, ана, 名前 🙂")
