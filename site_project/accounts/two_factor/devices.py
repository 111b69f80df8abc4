"""The devices behind two-factor sign-in: one authenticator app (TOTP) and a set of backup codes per user."""

from base64 import b32encode

from django.db import transaction
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
APP_CODE_DIGITS = 6


def has_two_factor(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def pending_app_device(user) -> TOTPDevice:
    """The unconfirmed authenticator device being set up, created on first visit and kept across reloads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def readable_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, as authenticator apps ask for it when typed by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(device: TOTPDevice) -> str:
    return device.config_url


def confirm_app_device(device: TOTPDevice) -> list[str]:
    """Activate the authenticator device and issue a fresh set of backup codes, which are returned once."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        StaticDevice.objects.filter(user=device.user).delete()
        backup = StaticDevice.objects.create(user=device.user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def remove_all_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def remaining_backup_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def check_code(user, code: str) -> Device | None:
    """The confirmed device that accepts `code`: six digits go to the app, anything else to the backup codes.

    django-otp throttles each device after a wrong code (the wait doubles with every failure) and refuses a
    TOTP code that was already used, so a code seen over someone's shoulder cannot be replayed.
    """
    code = normalise_code(code)
    wants_app = code.isdigit() and len(code) == APP_CODE_DIGITS
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) != wants_app:
            continue
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None
