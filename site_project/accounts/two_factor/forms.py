"""One form for every step: a code from the authenticator app (or a backup code), checked against a device."""

from django import forms
from django_otp.models import Device

from site_project.accounts.two_factor import devices

WRONG_CODE = (
    "That code is not valid. Check the time on your phone and try the newest code; after several wrong "
    "codes you must wait a little before the next try."
)


class CodeForm(forms.Form):
    """Checks the code against the user's confirmed devices; `device` is the one that accepted it."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Device | None = None

    def clean_code(self) -> str:
        code = devices.normalise_code(self.cleaned_data["code"])
        self.device = self.check(code)
        if self.device is None:
            raise forms.ValidationError(WRONG_CODE, code="invalid")
        return code

    def check(self, code: str) -> Device | None:
        return devices.check_code(self.user, code)


class SetupCodeForm(CodeForm):
    """Confirms the new authenticator app: the code must come from the device being set up."""

    def __init__(self, *args, pending_device, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pending_device = pending_device
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows now."

    def check(self, code: str) -> Device | None:
        return self.pending_device if self.pending_device.verify_token(code) else None
