"""The visitor's form on the contact page, built by Wagtail's form builder with our limits and spam checks.

`ContactFormBuilder` turns the editor's fields into Django form fields, giving each a maximum length, refusing
line breaks in one-line fields (they reach mail headers) and setting autocomplete by the field's purpose. It adds
two fields the editor never sees: a honeypot and a signed start time. `ContactForm.clean` turns either into a
polite form error and records why in `spam_reason`, so the page never stores or mails spam.
"""

from __future__ import annotations

import json
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.contrib.forms.forms import BaseForm, FormBuilder, WagtailAdminFormPageForm

from booking.models.requests import (
    EMAIL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    PREFERRED_CONTACT_MAX_LENGTH,
    PREFERRED_MAX_LENGTH,
    method_needs_phone,
    phone_required_message,
)
from booking.spam import HONEYPOT_FIELD, STARTED_FIELD, check_started_token, make_started_token
from site_project.form_protection import reject_line_breaks

SINGLE_LINE_MAX_LENGTH = 255
MULTI_LINE_MAX_LENGTH = 2000


class Purpose(models.TextChoices):
    """What a form field is for; the request stores mapped fields in their own columns."""

    OTHER = "", "Other (kept with the request)"
    NAME = "name", "Visitor's name"
    EMAIL = "email", "Visitor's email address"
    PHONE = "phone", "Phone number"
    PREFERRED_CONTACT = "preferred_contact", "Preferred contact method"
    PREFERRED_TIMES = "preferred_times", "Preferred times"
    MESSAGE = "message", "Short message"
    CONSENT = "consent", "Consent to be contacted"


MAX_LENGTHS = {
    Purpose.NAME: NAME_MAX_LENGTH,
    Purpose.EMAIL: EMAIL_MAX_LENGTH,
    Purpose.PHONE: PHONE_MAX_LENGTH,
    Purpose.PREFERRED_CONTACT: PREFERRED_CONTACT_MAX_LENGTH,
    Purpose.PREFERRED_TIMES: PREFERRED_MAX_LENGTH,
    Purpose.MESSAGE: MESSAGE_MAX_LENGTH,
}
AUTOCOMPLETE = {Purpose.NAME: "name", Purpose.EMAIL: "email", Purpose.PHONE: "tel"}
REQUIRED_PURPOSES = {Purpose.NAME: "singleline", Purpose.EMAIL: "email"}
EXPECTED_TYPES = {
    Purpose.NAME: {"singleline"},
    Purpose.EMAIL: {"email"},
    Purpose.PHONE: {"singleline"},
    Purpose.PREFERRED_CONTACT: {"dropdown", "radio", "singleline"},
    Purpose.PREFERRED_TIMES: {"singleline", "multiline", "checkboxes", "multiselect"},
    Purpose.MESSAGE: {"multiline", "singleline"},
    Purpose.CONSENT: {"checkbox"},
}


def reject_control_characters(value: str) -> None:
    """Multi-line text may hold line breaks and tabs, but no other control characters."""
    if any(unicodedata.category(char) == "Cc" and char not in "\r\n\t" for char in str(value)):
        raise ValidationError(
            "Please remove the invisible control characters from this text.", code="control"
        )


def purpose_of(field) -> str:
    return getattr(field, "purpose", "") or ""


class ContactForm(BaseForm):
    """The form a visitor fills in; built per page by `ContactFormBuilder`, which fills in `purpose_fields`."""

    purpose_fields: dict[str, str] = {}  # purpose -> the form field's name

    honeypot_message = "We could not accept this form. If you are a person, please call or email us instead."
    too_fast_message = "That was quicker than we expected. Please check your details and send the form again."
    expired_message = "This form was open for a long time. Please check your details and send it again."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spam_reason = ""
        if not self.is_bound:
            self.initial[STARTED_FIELD] = make_started_token()

    def _fresh_token(self) -> None:
        self.data = self.data.copy()
        self.data[STARTED_FIELD] = make_started_token()

    def clean(self):
        cleaned_data = super().clean()
        if self.data.get(HONEYPOT_FIELD):
            self.spam_reason = "honeypot"
            raise ValidationError(self.honeypot_message, code="spam")
        check = check_started_token(self.data.get(STARTED_FIELD, ""))
        if check.reason == "expired":
            self._fresh_token()
            raise ValidationError(self.expired_message, code="expired")
        if check.reason in {"missing", "tampered"}:
            self.spam_reason = f"token-{check.reason}"
            self._fresh_token()
            raise ValidationError(self.honeypot_message, code="spam")
        if check.reason == "too-fast":
            self.spam_reason = "too-fast"
            raise ValidationError(self.too_fast_message, code="too_fast")
        self._require_phone_for_method(cleaned_data)
        return cleaned_data

    def _require_phone_for_method(self, cleaned_data: dict) -> None:
        """A call or a text back needs a number: say so next to the phone field (or at the top without one)."""
        method_field = self.purpose_fields.get(Purpose.PREFERRED_CONTACT)
        phone_field = self.purpose_fields.get(Purpose.PHONE)
        method = str(cleaned_data.get(method_field) or "") if method_field else ""
        if not method_needs_phone(method):
            return
        if phone_field is None:
            self.add_error(None, ValidationError(phone_required_message(method), code="phone_required"))
        elif phone_field not in self.errors and not str(cleaned_data.get(phone_field) or "").strip():
            self.add_error(
                phone_field, ValidationError(phone_required_message(method), code="phone_required")
            )


class ContactFormBuilder(FormBuilder):
    def create_singleline_field(self, field, options):
        purpose = purpose_of(field)
        options["max_length"] = MAX_LENGTHS.get(purpose, SINGLE_LINE_MAX_LENGTH)
        options["validators"] = [reject_line_breaks]
        if purpose == Purpose.PHONE:
            options["widget"] = forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MAX_LENGTHS.get(purpose_of(field), MULTI_LINE_MAX_LENGTH)
        options["validators"] = [reject_control_characters]
        options["widget"] = forms.Textarea(attrs={"rows": 5})
        return forms.CharField(**options)

    def create_email_field(self, field, options):
        options["max_length"] = MAX_LENGTHS[Purpose.EMAIL]
        options["validators"] = [reject_line_breaks]
        return forms.EmailField(**options)

    def get_form_class(self):
        formfields = self.formfields
        purpose_fields: dict[str, str] = {}
        for field in self.fields:
            name = field.clean_name or field.get_field_clean_name()
            if purpose_of(field) and name in formfields:
                purpose_fields[purpose_of(field)] = name
            autocomplete = AUTOCOMPLETE.get(purpose_of(field))
            if autocomplete and name in formfields:
                formfields[name].widget.attrs["autocomplete"] = autocomplete
        hint_phone_methods(formfields, purpose_fields)
        formfields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        formfields[STARTED_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        return type("ContactPageForm", (ContactForm,), {**formfields, "purpose_fields": purpose_fields})


def hint_phone_methods(formfields: dict[str, forms.Field], purpose_fields: dict[str, str]) -> None:
    """Name on the phone input the contact choices that need it, so static/js/booking-form.js can mark the field
    required as soon as one is chosen. The server checks it either way (`ContactForm._require_phone_for_method`)."""
    phone = formfields.get(purpose_fields.get(Purpose.PHONE, ""))
    method_name = purpose_fields.get(Purpose.PREFERRED_CONTACT, "")
    choices = getattr(formfields.get(method_name), "choices", None) or []
    methods = [str(value) for value, _label in choices if method_needs_phone(str(value))]
    if phone is not None and methods:
        phone.widget.attrs["data-method-field"] = method_name
        phone.widget.attrs["data-phone-methods"] = json.dumps(methods)


class ContactPageAdminForm(WagtailAdminFormPageForm):
    """The editor's form: the visitor's form must ask for a name and an email, each purpose at most once."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("form_fields")
        if formset is None:
            return cleaned_data
        seen: dict[str, object] = {}
        for form in formset.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            if form.empty_permitted and not form.has_changed():
                continue
            purpose = form.cleaned_data.get("purpose") or ""
            if not purpose:
                continue
            label = Purpose(purpose).label.lower()
            if purpose in seen:
                form.add_error("purpose", f"Another field is already used for the {label}.")
            seen[purpose] = form
            field_type = form.cleaned_data.get("field_type")
            if field_type not in EXPECTED_TYPES[Purpose(purpose)]:
                allowed = ", ".join(sorted(EXPECTED_TYPES[Purpose(purpose)]))
                form.add_error("field_type", f"A field for the {label} must be of type: {allowed}.")
        missing = [Purpose(p).label.lower() for p in REQUIRED_PURPOSES if p not in seen]
        if missing:
            self.add_error(
                None, f"The form needs a field for the {' and the '.join(missing)} so the practice can reply."
            )
        return cleaned_data
