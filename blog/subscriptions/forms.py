"""The subscribe form: one email address, behind the site's shared spam checks.

The same form is embedded in cached pages (templates/blog/includes/subscribe_form.html) and shown on the subscribe
page. A cached page cannot carry a start token of its own, so the embedded form gets one from `views.token` when
the visitor starts on it (static/js/subscribe-form.js). A form sent without a valid token (no JavaScript, sent too
fast, a stale or tampered token) is not refused as spam: the subscribe page shows the address again with a fresh
token and asks the visitor to press Subscribe once more. Only the honeypot refuses outright.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from site_project.form_protection import HONEYPOT_FIELD, STARTED_FIELD, FormProtection, reject_line_breaks

EMAIL_MAX_LENGTH = 254  # RFC 5321's longest forward path, less its angle brackets

SUBSCRIBE_FORM = FormProtection(
    label="Subscribe form",
    salt="blog.subscribe-form.started",
    rate_bucket="blog:subscribe-rate",
    min_fill_setting="SUBSCRIBE_MIN_FILL_SECONDS",
    rate_limit_setting="SUBSCRIBE_RATE_LIMIT",
    rate_window_setting="SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS",
)


class SubscribeForm(forms.Form):
    honeypot_message = "We could not accept this form. If you are a person, please email or call us instead."
    again_message = "To keep out automated sign-ups, please check your address and press Subscribe once more."

    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        validators=[reject_line_breaks],
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields[STARTED_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.spam_reason = ""
        if not self.is_bound:
            self.initial[STARTED_FIELD] = SUBSCRIBE_FORM.make_started_token()

    def clean_email(self) -> str:
        """One address, in lower case: the same address typed in capitals is the same subscriber."""
        if len(self.data.getlist("email")) > 1:
            raise ValidationError("Please enter one email address.", code="several")
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        if self.data.get(HONEYPOT_FIELD):
            self.spam_reason = "honeypot"
            raise ValidationError(self.honeypot_message, code="spam")
        check = SUBSCRIBE_FORM.check_started_token(self.data.get(STARTED_FIELD, ""))
        if not check.ok:
            self.spam_reason = f"token-{check.reason}"
            self.data = self.data.copy()
            self.data[STARTED_FIELD] = SUBSCRIBE_FORM.make_started_token()
            raise ValidationError(self.again_message, code="again")
        return cleaned_data
