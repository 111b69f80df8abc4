"""Optional two-factor sign-in for staff: enrol from the admin, then a code after every password sign-in."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import PageViewRestriction

from site_project.accounts.two_factor.devices import BACKUP_CODE_COUNT
from tests.factories import make_standard_page

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("counselor", "counselor@practice.example", PASSWORD)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for this device now (or a step later, as a new login would)."""
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    backup.token_set.create(token="backup42")
    return device


def fresh_sign_in(client, user) -> None:
    """A password sign-in: the session knows the user but holds no verified device yet."""
    client.logout()
    client.force_login(user)


# Enrolment ---------------------------------------------------------------------------------------------


def test_account_page_offers_two_factor_setup(client, staff):
    client.force_login(staff)

    response = client.get(reverse("wagtailadmin_account"))

    assert reverse("two_factor_setup") in response.content.decode()


def test_setup_page_shows_the_secret_as_text_and_an_otpauth_link_without_a_qr_image(client, staff):
    client.force_login(staff)

    response = client.get(reverse("two_factor_setup"))

    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    html = response.content.decode()
    assert response.status_code == 200
    secret = device.config_url.split("secret=")[1].split("&")[0]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert 'href="otpauth://totp/' in html
    assert "<img" not in html.split('id="main"')[-1]
    assert "csrfmiddlewaretoken" in html


def test_reloading_the_setup_page_keeps_the_same_secret(client, staff):
    client.force_login(staff)
    client.get(reverse("two_factor_setup"))
    client.get(reverse("two_factor_setup"))

    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_enrolment_is_confirmed_by_a_code_from_the_app_and_issues_backup_codes(client, staff):
    client.force_login(staff)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(reverse("two_factor_setup"), {"code": code_for(device)})

    device.refresh_from_db()
    assert response.status_code == 200
    assert device.confirmed
    codes = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == BACKUP_CODE_COUNT
    assert all(code in response.content.decode() for code in codes)
    # The enrolling session counts as verified: the admin opens without asking again.
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_enrolment_refuses_a_wrong_code(client, staff):
    client.force_login(staff)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two_factor_setup"), {"code": wrong})

    device.refresh_from_db()
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=staff).exists()


def test_setup_page_of_an_enrolled_user_shows_status_instead_of_a_new_secret(client, staff):
    enrolled(staff)
    client.force_login(staff)
    client.post(reverse("two_factor_verify"), {"code": "backup42"})

    response = client.get(reverse("two_factor_setup"))

    assert "Two-factor authentication is on" in response.content.decode()
    assert "otpauth://" not in response.content.decode()


def test_setup_needs_an_admin_sign_in(client):
    response = client.get(reverse("two_factor_setup"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_enrolment_form_is_csrf_protected(staff):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff)
    csrf_client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=staff)

    response = csrf_client.post(reverse("two_factor_setup"), {"code": code_for(device)})

    device.refresh_from_db()
    assert response.status_code == 403
    assert not device.confirmed


# Signing in ---------------------------------------------------------------------------------------------


def test_enrolled_user_is_sent_to_the_code_page_before_any_admin_page(client, staff):
    enrolled(staff)
    fresh_sign_in(client, staff)

    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("two_factor_setup"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("two_factor_verify")
        assert parse_qs(location.query)["next"] == [url]


def test_enrolled_user_gets_in_after_a_valid_code(client, staff):
    device = enrolled(staff)
    fresh_sign_in(client, staff)
    explore = reverse("wagtailadmin_explore_root")

    response = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": explore})

    assert response.status_code == 302
    assert response["Location"] == explore
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_code_is_asked_again_after_signing_out_and_in(client, staff):
    device = enrolled(staff)
    fresh_sign_in(client, staff)
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})

    fresh_sign_in(client, staff)

    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_a_used_code_cannot_be_replayed(client, staff):
    device = enrolled(staff)
    code = code_for(device)
    fresh_sign_in(client, staff)
    client.post(reverse("two_factor_verify"), {"code": code})

    fresh_sign_in(client, staff)
    response = client.post(reverse("two_factor_verify"), {"code": code})

    assert response.status_code == 200
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_wrong_code_at_sign_in_keeps_the_admin_closed(client, staff):
    device = enrolled(staff)
    fresh_sign_in(client, staff)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"

    response = client.post(reverse("two_factor_verify"), {"code": wrong})

    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_backup_code_signs_in_once(client, staff):
    enrolled(staff)
    fresh_sign_in(client, staff)

    assert client.post(reverse("two_factor_verify"), {"code": "BACKUP 42"}).status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert not StaticToken.objects.filter(token="backup42").exists()


def test_verify_page_refuses_an_offsite_next(client, staff):
    device = enrolled(staff)
    fresh_sign_in(client, staff)

    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("wagtailadmin_home")


def test_signing_out_works_before_the_code_is_entered(client, staff):
    enrolled(staff)
    fresh_sign_in(client, staff)

    response = client.post(reverse("wagtailadmin_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_user_without_two_factor_is_not_asked_for_a_code(client, staff):
    client.force_login(staff)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(reverse("two_factor_verify"))["Location"] == reverse("wagtailadmin_home")


def test_unconfirmed_setup_does_not_lock_the_user_out(client, staff):
    client.force_login(staff)
    client.get(reverse("two_factor_setup"))
    fresh_sign_in(client, staff)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_password_alone_does_not_open_private_pages_for_an_enrolled_user(client, staff, home_page):
    enrolled(staff)
    private = make_standard_page(home_page, title="Team notes", slug="team-notes")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    fresh_sign_in(client, staff)

    assert client.get(private.url).status_code == 302

    client.post(reverse("two_factor_verify"), {"code": "backup42"})
    assert client.get(private.url).status_code == 200


# Disabling ----------------------------------------------------------------------------------------------


def test_disabling_requires_a_valid_code(client, staff):
    device = enrolled(staff)
    fresh_sign_in(client, staff)
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})

    response = client.post(reverse("two_factor_disable"), {"code": "000000"})

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_disabling_with_a_valid_code_removes_the_app_and_backup_codes(client, staff):
    device = enrolled(staff)
    fresh_sign_in(client, staff)
    client.post(reverse("two_factor_verify"), {"code": "backup42"})

    response = client.post(reverse("two_factor_disable"), {"code": code_for(device)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    fresh_sign_in(client, staff)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
