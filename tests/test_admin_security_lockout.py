"""django-axes locks an account after five wrong passwords at the Wagtail sign-in, by username and address."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXIES = []


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@practice.example", PASSWORD)


def sign_in(client, password: str, username: str = "editor", **headers):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password, "next": reverse("wagtailadmin_home")},
        **headers,
    )


def test_right_password_signs_in_while_no_lockout(client, lockout_on, editor):
    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_sixth_attempt_is_locked_out_after_five_wrong_passwords_even_with_the_right_one(
    client, lockout_on, editor
):
    statuses = [sign_in(client, "wrong password").status_code for _ in range(5)]

    response = sign_in(client, PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]

    assert response.status_code == 429
    assert "Sign-in is paused for this account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock_the_account(client, lockout_on, editor):
    for _ in range(4):
        sign_in(client, "wrong password")

    assert sign_in(client, PASSWORD).status_code == 302


def test_forged_x_forwarded_for_from_an_untrusted_peer_does_not_dodge_the_lockout(client, lockout_on, editor):
    for attempt in range(5):
        sign_in(client, "wrong password", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")

    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")

    assert response.status_code == 429


def test_lockout_counts_by_address_the_trusted_proxy_reports(client, lockout_on, editor, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        sign_in(client, "wrong password", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another visitor behind the same proxy is not locked out by the first one's failures.
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302


def test_lockout_applies_to_the_username_not_to_other_accounts_from_the_same_address(
    client, lockout_on, editor
):
    get_user_model().objects.create_superuser("colleague", "colleague@practice.example", PASSWORD)
    for _ in range(5):
        sign_in(client, "wrong password")

    assert sign_in(client, PASSWORD, username="colleague").status_code == 302
