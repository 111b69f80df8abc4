"""Strong passwords: Django's validators, with a 12-character minimum, guard every password an editor sets."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "weak",
    ["short1!", "password1234", "12345678901234", "editor-editor"],
    ids=["too-short", "common", "all-numeric", "like-username"],
)
def test_weak_password_is_rejected(weak):
    user = get_user_model()(username="editor-editor", email="editor@practice.example")

    with pytest.raises(ValidationError):
        validate_password(weak, user=user)


def test_long_uncommon_password_is_accepted():
    user = get_user_model()(username="editor", email="editor@practice.example")

    assert validate_password("quiet-harbour-lantern-47", user=user) is None


def test_minimum_length_is_twelve_characters():
    with pytest.raises(ValidationError) as refused:
        validate_password("Zq8#mV2!pL4")  # 11 characters, otherwise strong

    assert any(error.code == "password_too_short" for error in refused.value.error_list)
    assert validate_password("Zq8#mV2!pL4x") is None
