"""A request that asks for a call or a text back must carry a phone number: the form says so next to the phone field
and stores nothing, the model refuses it too, and the phone input names the choices that need it for the script."""

import json

import pytest
from django.core.exceptions import ValidationError

from booking.demo import FORM_FIELDS
from booking.forms.contact import Purpose
from booking.models import AppointmentRequest
from booking.models.requests import method_needs_phone
from tests.booking_factories import contact_post, make_contact_page, make_practice_details

pytestmark = pytest.mark.django_db

METHOD = "how_should_we_contact_you"
PHONE = "phone"


@pytest.fixture
def contact_page(home_page, site):
    make_practice_details(site)
    return make_contact_page(home_page)


@pytest.mark.parametrize("method", ["Text message", "Phone call"])
@pytest.mark.parametrize("phone", [None, "", "   "])
def test_a_call_or_text_without_a_phone_number_is_refused_next_to_the_phone_field(
    client, contact_page, method, phone
):
    response = client.post(contact_page.url, contact_post(**{METHOD: method, PHONE: phone}))

    assert response.status_code == 200
    form = response.context["form"]
    message = f"Please give a phone number so we can reach you by {method.lower()}, or choose another way."
    assert form.errors[PHONE] == [message]
    html = response.content.decode()
    assert f'<p class="field-error" id="id_phone_error">{message}</p>' in html
    assert f'<a href="#id_phone">Phone: {message}</a>' in html
    assert 'value="Ana Lima"' in html  # what the visitor typed is kept
    assert not AppointmentRequest.objects.exists()


@pytest.mark.parametrize(
    ("method", "phone"),
    [("Text message", "+1 603 555 0100"), ("Phone call", "603-555-0100"), ("Email", None)],
)
def test_a_phone_number_or_an_email_reply_lets_the_request_through(client, contact_page, method, phone):
    response = client.post(contact_page.url, contact_post(**{METHOD: method, PHONE: phone}))

    assert response.status_code == 302
    request = AppointmentRequest.objects.get()
    assert (request.preferred_contact, request.phone) == (method, phone or "")


def test_an_invalid_phone_keeps_its_own_error_rather_than_a_second_one(client, contact_page):
    response = client.post(contact_page.url, contact_post(**{METHOD: "Text message", PHONE: "555\r\n0100"}))

    assert response.context["form"].errors[PHONE] == ["Please keep this on one line, without line breaks."]


def test_a_form_without_a_phone_field_says_at_the_top_that_a_call_needs_a_number(client, home_page, site):
    make_practice_details(site)
    fields = [field for field in FORM_FIELDS if field["purpose"] != Purpose.PHONE]
    page = make_contact_page(home_page, form_fields=fields)

    response = client.post(page.url, contact_post(**{METHOD: "Phone call", PHONE: None}))

    assert response.context["form"].non_field_errors() == [
        "Please give a phone number so we can reach you by phone call, or choose another way."
    ]
    assert not AppointmentRequest.objects.exists()


def test_the_phone_input_names_the_choices_that_need_it(client, contact_page):
    form = client.get(contact_page.url).context["form"]
    attrs = form.fields[PHONE].widget.attrs

    assert attrs["data-method-field"] == METHOD
    assert json.loads(attrs["data-phone-methods"]) == ["Phone call", "Text message"]


def test_the_model_refuses_a_text_message_reply_without_a_phone(contact_page):
    request = AppointmentRequest(
        page=contact_page,
        form_data={"extra": "kept"},
        name="Ana",
        email="ana@example.org",
        preferred_contact="Text message",
    )
    with pytest.raises(ValidationError) as raised:
        request.full_clean()
    assert raised.value.message_dict == {
        "phone": ["Please give a phone number so we can reach you by text message, or choose another way."]
    }

    request.phone = "603 555 0100"
    request.full_clean()
    request.preferred_contact, request.phone = "Email", ""
    request.full_clean()


@pytest.mark.parametrize(
    ("method", "needs"),
    [
        ("Text message", True),
        ("Phone call", True),
        ("SMS", True),
        ("call me", True),
        ("Email", False),
        ("", False),
        (None, False),
        ("Textbook", False),  # whole words only
        ("<script>text</script>", True),
        ("x" * 10_000, False),
    ],
)
def test_which_contact_methods_need_a_phone(method, needs):
    assert method_needs_phone(method) is needs
