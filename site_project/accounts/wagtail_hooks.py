"""Admin entry point: a "Two-factor authentication" action on every user's account page."""

from django.http import HttpRequest
from django.urls import reverse
from wagtail import hooks

from site_project.accounts.two_factor.devices import has_two_factor


@hooks.register("register_account_menu_item")
def two_factor_account_item(request: HttpRequest) -> dict:
    enrolled = has_two_factor(request.user)
    return {
        "url": reverse("two_factor_setup"),
        "label": "Two-factor authentication" + (" (on)" if enrolled else " (off)"),
        "help_text": "Ask for a code from your phone after your password when you sign in.",
    }
